"""The clinician page in a real browser: headless Chromium (Debian's chromium + chromedriver, driven by
selenium) against the demo practice served by waitress on the embedded model. Sign in, see the demo's crisis
item, resolve it, open a patient and summarize, approve a DAP note, triage a message, sign out on idle.
Screenshots of every page go to $THERAPY_TEST_ARTIFACTS (default test-artifacts/) /browser/."""
from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (scripts/setup.sh --dev)")
if not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)):
    pytest.skip("needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; "
                ".ci/run installs them)", allow_module_level=True)

from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.expected_conditions import staleness_of  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SHOTS = Path(os.environ.get("THERAPY_TEST_ARTIFACTS", REPO / "test-artifacts")) / "browser"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The demo practice on a free port (real waitress, real embedded model); yields (base url, demo, app)."""
    from waitress import create_server

    from backend import create_app
    from backend.demo import prepare_demo
    from core.engine.registry import ModelRegistry
    from core.settings import Settings

    settings = Settings(home=tmp_path_factory.mktemp("web") / "home", engine="llamacpp", n_threads=1)
    demo = prepare_demo(settings)
    app = create_app({"SETTINGS": demo.settings, "MODELS": ModelRegistry(demo.settings)})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}", demo, app
    server.close()


@pytest.fixture(scope="module")
def driver():
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-quic", "--window-size=1280,1000"):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(DRIVER), options=options)
    browser.implicitly_wait(2)
    yield browser
    browser.quit()


def go(driver, element, timeout: float = 600) -> None:
    """Click a link or button that loads a page, and wait until the new page has replaced the old one.
    Chromium sometimes reports the old page's node as "does not belong to the document" instead of stale:
    that is the same answer."""
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    stale = staleness_of(old)

    def replaced(d) -> bool:
        try:
            return stale(d)
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return True
            raise

    WebDriverWait(driver, timeout).until(replaced)


def shot(driver, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(1280, min(max(height + 40, 800), 4000))
    driver.save_screenshot(str(SHOTS / f"{name}.png"))
    driver.set_window_size(1280, 1000)


def test_a_clinician_works_through_the_demo_practice(served, driver):
    base, demo, app = served
    driver.get(base + "/")
    assert driver.current_url.endswith("/login")                     # signed out: the sign-in form
    shot(driver, "01-sign-in")
    driver.find_element(By.ID, "username").send_keys("demo-clinician")
    driver.find_element(By.ID, "password").send_keys(demo.password)
    go(driver, driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))

    items = driver.find_elements(By.CSS_SELECTOR, "article.item")   # the demo's crisis note waits here
    crisis = [i for i in items if "Avery Example" in i.text and "Crisis" in i.text]
    assert crisis, [i.text[:80] for i in items]
    assert crisis[0].find_elements(By.TAG_NAME, "mark") and "988" in crisis[0].text
    shot(driver, "02-review-queue")
    driver.set_window_size(820, 1180)                                  # a tablet, portrait
    driver.save_screenshot(str(SHOTS / "02b-review-queue-tablet.png"))
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    driver.set_window_size(1280, 1000)
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)      # the keyboard reaches the skip link first
    assert driver.switch_to.active_element.text == "Skip to content"
    item_id = crisis[0].get_attribute("id")
    crisis[0].find_element(By.TAG_NAME, "textarea").send_keys("Phoned client; safety plan confirmed.")
    Select(crisis[0].find_element(By.TAG_NAME, "select")).select_by_value("agree")
    go(driver, crisis[0].find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "resolved" in driver.find_element(By.CSS_SELECTOR, ".notice").text
    assert not driver.find_elements(By.ID, item_id)
    shot(driver, "03-resolved")

    go(driver, driver.find_element(By.LINK_TEXT, "Patients"))
    shot(driver, "04-patients")
    go(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Avery Example"))
    go(driver, driver.find_element(By.XPATH, "//button[contains(., 'Summarize sessions')]"))
    assert driver.find_element(By.CSS_SELECTOR, "svg.chart")
    assert driver.find_elements(By.CSS_SELECTOR, ".progression a[href^='#session-']")
    shot(driver, "05-timeline")

    latest = driver.find_elements(By.CSS_SELECTOR, "article.session")[0]   # newest first: the crisis visit
    go(driver, latest.find_element(By.LINK_TEXT, "Write and approve a note"))
    Select(driver.find_element(By.ID, "format")).select_by_value("dap")
    go(driver, driver.find_element(By.XPATH, "//button[contains(., 'Switch format')]"))
    assert "DAP note" in driver.find_element(By.TAG_NAME, "h1").text
    for area in driver.find_elements(By.CSS_SELECTOR, "textarea[id^=section-]"):
        if not area.get_attribute("value").strip():
            area.send_keys("Reviewed with the client in session.")
    assert [o.text for o in Select(driver.find_element(By.ID, "risk")).options] == ["Crisis"]   # never lower
    shot(driver, "06-dap-draft")
    go(driver, driver.find_element(By.XPATH, "//button[contains(., 'Approve note')]"))
    assert driver.find_element(By.CSS_SELECTOR, ".approver").text == "demo-clinician"
    assert driver.find_element(By.CSS_SELECTOR, ".approved-at").text.endswith("UTC")
    shot(driver, "07-dap-approved")

    go(driver, driver.find_element(By.LINK_TEXT, "Triage console"))
    driver.find_element(By.ID, "message").send_keys("I can't do this anymore. I have the pills ready for tonight.")
    go(driver, driver.find_element(By.XPATH, "//button[contains(., 'Triage')]"))
    result = driver.find_element(By.CSS_SELECTOR, "section.result")
    assert "Crisis" in result.text and "988" in result.text
    shot(driver, "08-triage-console")

    _check_audited(app)
    toolkit = app.extensions["toolkit"]
    toolkit.settings = toolkit.settings.with_(web_idle_minutes=0.05)       # 3 s, for this step only
    driver.get(base + "/clinic/patients")
    WebDriverWait(driver, 30).until(lambda d: "/login" in d.current_url)
    assert "without activity" in driver.find_element(By.CSS_SELECTOR, ".notice").text
    shot(driver, "09-signed-out-idle")
    time.sleep(0.2)
    driver.get(base + "/")
    assert "/login" in driver.current_url                               # the server ended it too


def _check_audited(app) -> None:
    from backend import audit
    from backend.store import get_store

    with app.app_context(), get_store().session() as db:
        actions = {(r.action, r.outcome) for r in audit.rows(db, limit=500) if r.actor == "demo-clinician"}
    for action in ("web.signin", "review.read", "review.resolve", "patient.read", "summarize", "note.approve",
                   "triage"):
        assert (action, "ok") in actions, action
