"""The page's blueprint and plumbing: every view signed in by cookie, CSRF on every POST, its own CSP and
HTML error pages, and `render` with the signed-in clinician, the CSRF token and the idle time."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

from flask import Blueprint, g, redirect, render_template, request, send_from_directory, url_for
from werkzeug.exceptions import HTTPException

from backend import audit
from backend.auth import CurrentUser, browser
from backend.context import get_toolkit
from backend.http import without_paths
from backend.store.db import get_db
from backend.web import signin
from core.errors import ToolkitError

bp = Blueprint("web", __name__, template_folder="templates")
STATIC_DIR = Path(__file__).with_name("static")
OPEN = {"web.login", "web.static"}       # reached without signing in (the sign-in form, styles and script)
CSP = ("default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


def page(rule: str, **options: Any) -> Callable:
    """`@page("/clinic/x", methods=[...])`: a route of the page, signed in by cookie (see _gate)."""
    def wrap(view: Callable) -> Callable:
        return bp.route(rule, **options)(browser(view))
    return wrap


def idle() -> timedelta:
    return timedelta(minutes=get_toolkit().settings.web_idle_minutes)


def now():
    return get_toolkit().clock()


@page("/clinic/static/<path:filename>")
def static(filename: str):
    """The page's own style sheet and script (send_from_directory refuses paths outside the folder)."""
    return send_from_directory(STATIC_DIR, filename)


@bp.before_request
def _gate():
    if request.endpoint in OPEN:
        return None
    db = get_db()
    row, why = signin.resume(db, request.cookies.get(signin.COOKIE), now(), idle())
    if row is None or why is not None:
        if why == "idle":
            audit.record(db, actor=row.user.name, action="web.signout", outcome="idle", commit=False)
        db.commit()
        return redirect(url_for("web.login", idle=1) if why == "idle" else url_for("web.login"))
    if request.method == "POST" and not signin.csrf_ok(row.csrf_token, _sent_csrf()):
        db.rollback()
        audit.record(db, actor=row.user.name, action=request.endpoint or "unknown", outcome="csrf",
                     detail={"method": "POST"})
        return render("error.html", title="Form expired",
                      message="This form was not sent by this page (its security token did not match). "
                              "Nothing was changed; go back, reload the page and try again."), 403
    g.user = CurrentUser(id=row.user.id, name=row.user.name, role=row.user.role, token_id=0)
    g.csrf = row.csrf_token
    g.web_session = row
    db.commit()
    return None


def _sent_csrf() -> str | None:
    return request.form.get("csrf_token") or request.headers.get("X-CSRF-Token")


@bp.after_request
def _headers(response):
    response.headers["Content-Security-Policy"] = CSP
    return response


@bp.errorhandler(ToolkitError)
def _toolkit_error(exc: ToolkitError):
    error = without_paths(exc.to_dict())["error"]             # a page names no path on the disk either
    return render("error.html", title="That did not work", message=error["message"],
                  hint=error.get("hint")), exc.http_status


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    return render("error.html", title=exc.name, message=exc.description), exc.code or 500


def render(template: str, **values: Any) -> str:
    """A page with the signed-in clinician, the CSRF token and the idle time its script signs out after."""
    return render_template(template, user=g.get("user"), csrf=g.get("csrf"),
                           idle_seconds=int(idle().total_seconds()), **values)

