"""Settings: one dataclass read from the environment (THERAPY_*), overridable in tests."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent


def _default_home() -> Path:
    return Path(os.environ.get("THERAPY_HOME", REPO_ROOT / "var")).expanduser()


@dataclass(frozen=True)
class Settings:
    """Everything configurable about the service and CLI. Paths default under `home`."""

    home: Path = field(default_factory=_default_home)
    database_url: str = ""                      # default: sqlite:///<home>/practice.db; or postgresql://...
    db_encryption: str = "sqlcipher"            # SQLite files: sqlcipher (default) | off (plain, by choice only)
    db_key: str = field(default="", repr=False)  # THERAPY_DB_KEY; default: the 0600 key file <home>/db.key
    engine: str = "auto"                        # auto | llamacpp | ollama
    ollama_host: str = "http://127.0.0.1:11434"
    ollama_timeout_s: float = 120.0
    n_threads: int = 0                          # 0: llama.cpp decides
    n_ctx: int = 4096                           # default context when a Modelfile sets no num_ctx
    max_body_bytes: int = 256 * 1024
    triage_max_chars: int = 8000
    triage_timeout_s: float = 60.0              # model deadline, queue time included; past it the floor answers
    rate_limit_token: str = "600/minute"        # per bearer token, all routes together; "" for none
    rate_limit_address: str = "1200/minute"     # per client address, with a token or without; "" for none
    rate_limit_signin: str = "10/minute;60/hour"  # page sign-in attempts per client address; "" for none
    rate_limit_storage: str = "memory://"       # one process; redis://host:6379/0 to share counts across workers
    model_queue: int = 2                        # requests that may wait for a busy local model; more: 503
    triage_logprob_threshold: float = -1.0      # mean token log-prob below which retrieval re-asks
    access: str = "care_team"                  # care_team: users see their patients | practice: every patient
    token_days: int = 90                        # new API tokens expire after this many days
    denial_window_s: int = 60                   # unauthenticated denials: one counted audit row per source per window
    resources_file: str = ""                    # crisis resources YAML; default: backend/safety/resources.yaml
    note_format: str = "summary"                # the practice's note format: summary | soap | dap | birp
    web_idle_minutes: float = 15.0              # the page signs a clinician out after this long idle
    cookie_secure: bool = True                  # the sign-in cookie only over HTTPS (browsers allow localhost)
    demo: bool = False

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'practice.db'}"

    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    @property
    def registry_dir(self) -> Path:
        """Modelfiles written by `register`; they take precedence over the shipped ones."""
        return self.home / "modelfiles"

    @property
    def runs_dir(self) -> Path:
        return self.home / "runs"

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> "Settings":
        env = dict(os.environ if env is None else env)
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"THERAPY_{f.name.upper()}")
            if raw is None:
                continue
            values[f.name] = _coerce(f.type, raw)
        if "OLLAMA_HOST" in env and "ollama_host" not in values:
            values["ollama_host"] = _normalise_host(env["OLLAMA_HOST"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "home" in values:
            values["home"] = Path(values["home"]).expanduser()
        return cls(**values)

    def with_(self, **changes: Any) -> "Settings":
        return replace(self, **changes)


def _coerce(type_name: Any, raw: str) -> Any:
    name = str(type_name)
    if "bool" in name:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if "int" in name:
        return int(raw)
    if "float" in name:
        return float(raw)
    if "Path" in name:
        return Path(raw)
    return raw


def _normalise_host(host: str) -> str:
    host = host.strip()
    if not host.startswith(("http://", "https://")):
        host = "http://" + host
    return host.rstrip("/")
