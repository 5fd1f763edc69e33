"""Pages: sign in, sign out, and the keep-alive the page's script sends while a clinician is typing."""
from __future__ import annotations

from flask import g, make_response, redirect, render_template, request, url_for

from backend import audit
from backend.context import get_toolkit
from backend.store.db import get_db
from backend.web import signin
from backend.web.base import idle, now, page


def _cookie_options() -> dict:
    return {"httponly": True, "samesite": "Strict", "secure": get_toolkit().settings.cookie_secure, "path": "/"}


@page("/login", methods=["GET", "POST"])
def login():
    db = get_db()
    if request.method == "GET":
        row, why = signin.resume(db, request.cookies.get(signin.COOKIE), now(), idle())
        row = row if why is None else None                      # only a live session is signed in
        if row is not None and request.args.get("idle"):       # the page's own idle timer sent it here
            signin.end(db, row, "idle", now())
            audit.record(db, actor=row.user.name, action="web.signout", outcome="idle", commit=False)
            row = None
        db.commit()
        if row is not None:
            return redirect(url_for("web.queue"))
        return _form(notice=_notice())
    name = request.form.get("username", "").strip()
    if not signin.csrf_ok(request.cookies.get(signin.LOGIN_COOKIE), request.form.get("csrf_token")):
        audit.record(db, actor="anonymous", action="web.signin", outcome="csrf")
        return _form(error="The sign-in form expired. Please try again.", status=403)
    user = signin.check_password(db, name, request.form.get("password", ""))
    if user is None:
        db.rollback()
        audit.record(db, actor="anonymous", action="web.signin", outcome="denied")
        return _form(error="Unknown user name or wrong password.", status=401, username=name)
    value = signin.start(db, user, now())
    audit.record(db, actor=user.name, action="web.signin", outcome="ok", commit=False)
    db.commit()
    response = redirect(url_for("web.queue"))
    response.set_cookie(signin.COOKIE, value, **_cookie_options())
    response.delete_cookie(signin.LOGIN_COOKIE, path="/")
    return response


def _notice() -> str | None:
    if request.args.get("idle"):
        minutes = get_toolkit().settings.web_idle_minutes
        span = f"{minutes:g} minutes" if minutes >= 1 else f"{minutes * 60:.0f} seconds"
        return f"You were signed out after {span} without activity."
    if request.args.get("bye"):
        return "You are signed out."
    return None


def _form(*, notice: str | None = None, error: str | None = None, status: int = 200, username: str = ""):
    token = signin.new_login_token()
    response = make_response(render_template("login.html", csrf=token, notice=notice, error=error,
                                             username=username, user=None), status)
    response.set_cookie(signin.LOGIN_COOKIE, token, max_age=3600, **_cookie_options())
    return response


@page("/logout", methods=["POST"])
def logout():
    db = get_db()
    signin.end(db, g.web_session, "signed_out", now())
    audit.record(db, actor=g.user.name, action="web.signout", outcome="ok", commit=False)
    db.commit()
    response = redirect(url_for("web.login", bye=1))
    response.delete_cookie(signin.COOKIE, path="/")
    return response


@page("/clinic/alive", methods=["POST"])
def alive():
    """The page's script, while the clinician types: the gate has already moved the session's last-seen on."""
    return {"ok": True}
