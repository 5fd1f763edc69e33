"""The clinician's web page, served by the same app: sign-in, review queue, patients and timeline, notes in
the practice's format with clinician approval, and the triage console (no CDN: everything ships here)."""
from backend.web import console, notes, patients, queue, signin_views  # noqa: F401  (register the views)
from backend.web.base import bp

__all__ = ["bp"]
