"""Every setting of the app, typed, read from the environment in one place.

Defaults let `make run` work on a fresh machine: a SQLite file under `instance/`, a
local email outbox, and http://localhost:3000. Each variable is documented in the
README; production sets at least APP_BASE_URL (https), SECRET_KEY and the SMTP ones.
"""

from __future__ import annotations

import dataclasses
import functools
import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"

DEFAULT_BASE_URL = "http://localhost:3000"
GOOGLE_DISCOVERY_URL = "https://accounts.google.com/.well-known/openid-configuration"
DEFAULT_DATABASE_URL = "sqlite:///instance/session.db"


class ConfigError(ValueError):
    """A variable in the environment has a value the app cannot use (or is missing)."""


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    msg = f"{name} must be true or false, not {raw!r}"
    raise ConfigError(msg)


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        msg = f"{name} must be a whole number, not {raw!r}"
        raise ConfigError(msg) from exc


def is_loopback_url(url: str) -> bool:
    """Whether the URL points at this machine (where a dev-only feature is safe)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_loopback_client(ip: str) -> bool:
    """Whether a request came from this machine (the development mailbox's only readers)."""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:127.0.0.1 from a dual-stack socket
    return (mapped or address).is_loopback


def _resolve_sqlite_path(url: str) -> str:
    """A relative SQLite file is relative to the project, whatever the working directory."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url.startswith(prefix + "/") or url == prefix + ":memory:":
        return url
    path = PROJECT_ROOT / url.removeprefix(prefix)
    path.parent.mkdir(parents=True, exist_ok=True)
    return prefix + str(path)


def _secret_key(base_url: str) -> str:
    """SECRET_KEY from the environment, else one kept in instance/ for local runs.

    The key peppers the stored one-time codes and keys the known-device cookie; losing
    it only voids codes in flight. A deployment must set it: a key made by each
    machine would make a code issued on one fail on another.
    """
    from_env = os.environ.get("SECRET_KEY", "").strip()
    if from_env:
        return from_env
    if not is_loopback_url(base_url):
        msg = (
            f"SECRET_KEY must be set when APP_BASE_URL ({base_url}) is not this machine: every "
            "worker and machine must share one key. Make one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
        raise ConfigError(msg)
    path = INSTANCE_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key


@dataclasses.dataclass(frozen=True)
class Environment:
    """The app's configuration; see README "Configuration" for each variable."""

    base_url: str
    database_url: str
    secret_key: str
    email_backend: str
    mail_from: str
    support_email: str
    smtp_host: str
    smtp_port: int
    smtp_user: str
    smtp_password: str
    smtp_starttls: bool
    smtp_timeout: int
    session_idle_days: int
    session_absolute_days: int
    secure_cookies: bool
    dev_mailbox: bool
    rate_limit_storage: str
    google_client_id: str
    google_client_secret: str
    google_discovery_url: str
    google_timeout: float
    google_picture_hosts: tuple[str, ...]
    privacy_email: str
    deletion_grace_days: int
    workers: int  # backend processes (Granian workers); more than one needs Redis
    trusted_proxy_hops: int  # reverse proxies in front whose X-Forwarded-For is believed
    upload_dir: Path  # uploaded files when STORAGE_URL is empty (absolute)
    storage_url: str  # "s3://bucket/prefix" for an object store, shared by every worker
    s3_endpoint_url: str  # the S3 API's address when it is not AWS (MinIO, Ceph…)
    db_pool_size: int  # PostgreSQL connections each worker keeps open
    db_max_overflow: int  # and may open beyond them at a peak

    @property
    def google_enabled(self) -> bool:
        """The Google button shows only when the app is registered with Google."""
        return bool(self.google_client_id and self.google_client_secret)

    @property
    def session_cookie_name(self) -> str:
        # The __Host- prefix pins the cookie to this exact origin (no Domain, Path=/),
        # but browsers only accept it on Secure cookies.
        return "__Host-session" if self.secure_cookies else "session"


def _load() -> Environment:
    base_url = _env("APP_BASE_URL", DEFAULT_BASE_URL).rstrip("/")
    if urlsplit(base_url).scheme not in {"http", "https"}:
        msg = f"APP_BASE_URL must start with http:// or https://, not {base_url!r}"
        raise ConfigError(msg)
    email_backend = _env("EMAIL_BACKEND", "outbox")
    if email_backend not in {"outbox", "smtp"}:
        msg = f"EMAIL_BACKEND must be outbox or smtp, not {email_backend!r}"
        raise ConfigError(msg)
    host = urlsplit(base_url).hostname or "localhost"
    redis = os.environ.get("REFLEX_REDIS_URL", "").strip()
    workers = _env_int("WORKERS", (os.cpu_count() or 1) if redis else 1)
    if workers < 1 or (workers > 1 and not redis):
        msg = f"WORKERS={workers}: more than one worker needs REFLEX_REDIS_URL (where tabs' state is shared)"
        raise ConfigError(msg)
    hops = _env_int("TRUSTED_PROXY_HOPS", 0)
    if hops < 0:
        msg = f"TRUSTED_PROXY_HOPS must be 0 or more, not {hops}"
        raise ConfigError(msg)
    return Environment(
        base_url=base_url,
        database_url=_resolve_sqlite_path(_env("REFLEX_DB_URL", DEFAULT_DATABASE_URL)),
        secret_key=_secret_key(base_url),
        email_backend=email_backend,
        mail_from=_env("MAIL_FROM", f"Session <no-reply@{host}>"),
        support_email=_env("SUPPORT_EMAIL", f"support@{host}"),
        smtp_host=_env("SMTP_HOST", "localhost"),
        smtp_port=_env_int("SMTP_PORT", 587),
        smtp_user=_env("SMTP_USER", ""),
        smtp_password=_env("SMTP_PASSWORD", ""),
        smtp_starttls=_env_bool("SMTP_STARTTLS", True),
        smtp_timeout=_env_int("SMTP_TIMEOUT", 10),
        session_idle_days=_env_int("SESSION_IDLE_DAYS", 14),
        session_absolute_days=_env_int("SESSION_ABSOLUTE_DAYS", 30),
        secure_cookies=_env_bool("SECURE_COOKIES", base_url.startswith("https://")),
        # The mailbox page shows everyone's sign-in links: only ever on a local outbox.
        dev_mailbox=email_backend == "outbox"
        and is_loopback_url(base_url)
        and _env_bool("DEV_MAILBOX", True),
        rate_limit_storage=_env("RATE_LIMIT_STORAGE_URL", redis or "memory://"),
        google_client_id=_env("GOOGLE_CLIENT_ID", ""),
        google_client_secret=_env("GOOGLE_CLIENT_SECRET", ""),
        google_discovery_url=_env("GOOGLE_DISCOVERY_URL", GOOGLE_DISCOVERY_URL),
        google_timeout=float(_env_int("GOOGLE_TIMEOUT_SECONDS", 4)),
        privacy_email=_env("PRIVACY_EMAIL", f"privacy@{host}"),
        deletion_grace_days=_env_int("DELETION_GRACE_DAYS", 7),
        workers=workers,
        trusted_proxy_hops=hops,
        upload_dir=PROJECT_ROOT / _env("REFLEX_UPLOADED_FILES_DIR", "uploaded_files"),
        storage_url=_storage_url(),
        s3_endpoint_url=_env("S3_ENDPOINT_URL", ""),
        db_pool_size=_env_int("DB_POOL_SIZE", 5),
        db_max_overflow=_env_int("DB_MAX_OVERFLOW", 10),
        google_picture_hosts=tuple(
            host.strip().lower()
            for host in _env("GOOGLE_PICTURE_HOSTS", "googleusercontent.com").split(",")
            if host.strip()
        ),
    )


def _storage_url() -> str:
    url = _env("STORAGE_URL", "")
    if url and (urlsplit(url).scheme != "s3" or not urlsplit(url).netloc):
        msg = f"STORAGE_URL must be s3://bucket or s3://bucket/prefix, not {url!r}"
        raise ConfigError(msg)
    return url


@functools.cache
def get_environment() -> Environment:
    """The configuration, read from the environment once per process."""
    return _load()


def reload_environment() -> Environment:
    """Read the environment again (tests change it between cases)."""
    get_environment.cache_clear()
    return get_environment()
