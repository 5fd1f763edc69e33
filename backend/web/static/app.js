// The clinician page's only script: sign out after the practice's idle time (no keyboard, pointer or scroll
// activity), keep the session alive while someone is typing, print, and go back from an error page.
(function () {
  "use strict";
  var body = document.body;
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.hasAttribute("data-print")) { window.print(); }
    if (target.hasAttribute("data-back")) { history.back(); }
  });
  var idle = Number(body.getAttribute("data-idle-seconds"));
  if (!idle) { return; }
  var last = Date.now(), pinged = Date.now();
  function active() { last = Date.now(); }
  ["keydown", "pointerdown", "scroll", "input"].forEach(function (name) {
    document.addEventListener(name, active, { passive: true, capture: true });
  });
  setInterval(function () {
    var now = Date.now();
    if (now - last >= idle * 1000) {
      window.location.assign(body.getAttribute("data-idle-url"));
    } else if (last > pinged && now - pinged >= Math.min(60, idle / 2) * 1000) {
      pinged = now;
      fetch(body.getAttribute("data-alive"), { method: "POST", credentials: "same-origin",
        headers: { "X-CSRF-Token": body.getAttribute("data-csrf") } });
    }
  }, 1000);
})();
