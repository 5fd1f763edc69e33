"""The practice database: `models` (tables), `db` (opening, migrations, Flask sessions), `queries` (reads, writes)."""
from backend.store.db import (
    MIGRATIONS_DIR,
    Store,
    begin_write,
    close_all,
    database_url,
    get_db,
    get_store,
    init_app,
    make_engine,
    migrate,
    open_store,
)
from backend.store.models import (
    REVIEW_STATUSES,
    ROLES,
    SESSION_KINDS,
    AuditRow,
    Base,
    Patient,
    ReviewItem,
    SummaryCache,
    TherapySession,
    Token,
    User,
    utcnow,
)
from backend.store.queries import (
    SESSION_TEXT_MAX_CHARS,
    add_review_item,
    add_session,
    cached_summaries,
    create_patient,
    get_patient,
    list_patients,
    list_review_items,
    list_sessions,
    list_users,
    parse_date,
    resolve_review_item,
    save_summaries,
    session_counts,
)

__all__ = [
    "MIGRATIONS_DIR", "Store", "begin_write", "close_all", "database_url", "get_db", "get_store", "init_app",
    "make_engine", "migrate", "open_store",
    "REVIEW_STATUSES", "ROLES", "SESSION_KINDS", "AuditRow", "Base", "Patient", "ReviewItem", "SummaryCache",
    "TherapySession", "Token", "User", "utcnow",
    "SESSION_TEXT_MAX_CHARS", "add_review_item", "add_session", "cached_summaries", "create_patient",
    "get_patient", "list_patients", "list_review_items", "list_sessions", "list_users", "parse_date",
    "resolve_review_item", "save_summaries", "session_counts",
]
