"""Routes: patients, sessions, /summarize-sessions, review queue."""
from flask import Blueprint

bp = Blueprint("practice", __name__)
