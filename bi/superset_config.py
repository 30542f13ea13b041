"""Superset configuration for `make bi`: one local user on 127.0.0.1, reading winback's
DuckDB marts read-only. Loaded through SUPERSET_CONFIG_PATH (scripts/bi.py sets it).

Everything Superset writes (its SQLite metadata database, the secret key) lives under
SUPERSET_HOME (default target/superset): nothing secret is committed, and deleting the
folder resets the tool.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

HOME = Path(os.environ.get("SUPERSET_HOME")
            or Path(__file__).resolve().parents[1] / "target" / "superset").resolve()
HOME.mkdir(parents=True, exist_ok=True)
DATA_DIR = str(HOME)


def _secret_key() -> str:
    """SUPERSET_SECRET_KEY if set, else a random key made once per SUPERSET_HOME (it
    signs the session cookies and encrypts the stored connection, so it must not change
    while the metadata database lives)."""
    if os.environ.get("SUPERSET_SECRET_KEY"):
        return os.environ["SUPERSET_SECRET_KEY"]
    path = HOME / "secret_key"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
SQLALCHEMY_DATABASE_URI = f"sqlite:///{HOME / 'superset.db'}?check_same_thread=false"

# A local, single-user tool behind 127.0.0.1: no HTTPS-only headers (talisman would
# redirect and set HSTS), no rate limits on the login form the tests drive. CSRF stays
# on: the dashboard script fetches a token from the API like any client.
TALISMAN_ENABLED = False
CONTENT_SECURITY_POLICY_WARNING = False
RATELIMIT_ENABLED = False
AUTH_RATE_LIMITED = False
WTF_CSRF_ENABLED = True

# Charts read the marts synchronously; nothing is cached between runs, so a rebuilt
# DuckDB file shows up on the next page load.
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
GLOBAL_ASYNC_QUERIES = False
FEATURE_FLAGS = {"ALERT_REPORTS": False, "THUMBNAILS": False}

SHOW_STACKTRACE = False
LOG_LEVEL = "WARNING"
