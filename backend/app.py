"""App factory: settings, collaborators, blueprints and error handlers."""
from __future__ import annotations

import logging
from typing import Any, Mapping

from flask import Flask

from backend import access, auth, limits
from backend.context import Toolkit
from backend.http import IdConverter, install_error_handlers, install_request_log, install_security_headers
from backend.routes import BLUEPRINTS
from backend.store import db
from backend.summarize.service import Summarizer
from backend.triage.review import request_writer
from backend.triage.service import TriageService
from core.engine.registry import ModelRegistry
from core.settings import Settings


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. `test_config` may carry SETTINGS (a Settings), MODELS (a registry) and Flask keys."""
    config = dict(test_config or {})
    settings: Settings = config.pop("SETTINGS", None) or Settings.from_env()
    access.check_mode(settings)
    app = Flask(__name__)
    app.url_map.converters["id"] = IdConverter
    app.config.update(MAX_CONTENT_LENGTH=settings.max_body_bytes, JSON_SORT_KEYS=False)
    models = config.pop("MODELS", None)
    if models is None:
        models = ModelRegistry(settings)
    app.config.update(config)
    app.extensions["toolkit"] = Toolkit(settings=settings, models=models, summarizer=Summarizer(models),
                                        triage=TriageService.from_settings(settings, models, review=request_writer))
    _configure_logging()
    install_error_handlers(app)
    install_request_log(app)
    install_security_headers(app)
    limits.init_app(app, settings)              # before auth: a refused request never reaches the database
    db.init_app(app)
    auth.init_app(app)
    _register_blueprints(app)
    return app


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _configure_logging() -> None:
    """INFO for the service's loggers; a handler of its own only when nothing above would print them
    (a second one writes every line twice)."""
    logger = logging.getLogger("backend")
    logger.setLevel(logging.INFO)
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        logger.addHandler(handler)


def _register_blueprints(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
