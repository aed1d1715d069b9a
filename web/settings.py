"""Every setting Liancha reads from the environment, in one place.

The README lists each variable with its default; keep the two in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

INSTANCE_DIR = Path(os.environ.get("LIANCHA_INSTANCE_DIR", Path.cwd() / "instance"))


class ConfigurationError(RuntimeError):
    pass


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    database_url: str = ""
    redis_url: str | None = None
    secret_key: str = ""
    upload_folder: str = ""
    max_upload_mb: int = 20
    default_locale: str = "zh_CN"
    timezone: str = "Asia/Shanghai"
    mail_server: str | None = None
    mail_port: int = 25
    mail_username: str | None = None
    mail_password: str | None = None
    mail_use_tls: bool = False
    mail_sender: str = "liancha@localhost"
    login_max_failures: int = 5
    login_lock_minutes: int = 15
    session_cookie_secure: bool = False
    deploy_processes_on_start: bool = True
    job_retry_intervals: tuple[int, ...] = (10, 60, 300)
    extra: dict = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.env == "production"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read the settings; a production configuration without SECRET_KEY refuses to start."""
    env = os.environ if environ is None else environ
    liancha_env = env.get("LIANCHA_ENV", "development")
    instance = Path(env.get("LIANCHA_INSTANCE_DIR", INSTANCE_DIR))
    secret = env.get("SECRET_KEY", "")
    if not secret:
        if liancha_env == "production":
            raise ConfigurationError("SECRET_KEY must be set when LIANCHA_ENV=production")
        secret = "dev-only-insecure-key"  # noqa: S105 - refused in production above
    return Settings(
        env=liancha_env,
        database_url=env.get("DATABASE_URL") or f"sqlite:///{instance / 'liancha.db'}",
        redis_url=env.get("REDIS_URL") or None,
        secret_key=secret,
        upload_folder=env.get("UPLOAD_FOLDER") or str(instance / "uploads"),
        max_upload_mb=int(env.get("MAX_UPLOAD_MB", "20")),
        default_locale=env.get("DEFAULT_LOCALE", "zh_CN"),
        timezone=env.get("LIANCHA_TIMEZONE", "Asia/Shanghai"),
        mail_server=env.get("MAIL_SERVER") or None,
        mail_port=int(env.get("MAIL_PORT", "25")),
        mail_username=env.get("MAIL_USERNAME") or None,
        mail_password=env.get("MAIL_PASSWORD") or None,
        mail_use_tls=_bool(env.get("MAIL_USE_TLS")),
        mail_sender=env.get("MAIL_FROM") or env.get("MAIL_SENDER") or "liancha@localhost",
        login_max_failures=int(env.get("LOGIN_MAX_FAILURES", "5")),
        login_lock_minutes=int(env.get("LOGIN_LOCK_MINUTES", "15")),
        session_cookie_secure=_bool(env.get("SESSION_COOKIE_SECURE"), liancha_env == "production"),
        deploy_processes_on_start=_bool(env.get("DEPLOY_PROCESSES_ON_START"), True),
        job_retry_intervals=_intervals(env.get("JOB_RETRY_INTERVALS", "10,60,300")),
    )


def _intervals(value: str) -> tuple[int, ...]:
    """Seconds before each retry of a failed job; as many retries as values ("" = none)."""
    try:
        out = tuple(int(part) for part in value.split(",") if part.strip())
    except ValueError:
        raise ConfigurationError(f"JOB_RETRY_INTERVALS must be comma-separated seconds: {value!r}") from None
    if any(v < 0 for v in out):
        raise ConfigurationError(f"JOB_RETRY_INTERVALS must not be negative: {value!r}")
    return out
