"""Blueprints, one module per area; the app factory registers every one listed here."""
from backend.routes.admin import bp as admin_bp
from backend.routes.core import bp as core_bp
from backend.routes.practice import bp as practice_bp
from backend.routes.triage import bp as triage_bp
from backend.web import bp as web_bp

BLUEPRINTS = (core_bp, triage_bp, practice_bp, admin_bp, web_bp)
