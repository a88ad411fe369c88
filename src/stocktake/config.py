"""Settings: one typed object, built when the app or the CLI starts, never at import."""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SECRET_FILE = "secret_key"  # noqa: S105  (the name of the file, not a secret)
MIN_SECRET_LENGTH = 16
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """Addresses (`10.0.0.5`) and networks (`10.0.0.0/8`, `fd00::/8`); ValueError names a wrong one."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            msg = f"{value.strip()!r} is not an IP address or network"
            raise ValueError(msg) from exc
    return tuple(networks)


class Settings(BaseSettings):
    """Every setting is read from an environment variable named STOCKTAKE_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="STOCKTAKE_", env_file=".env", extra="ignore")

    environment: Literal["development", "production", "test"] = Field(
        "development",
        description="development, test or production; production refuses the default secret.",
    )
    data_dir: Path = Field(
        Path("data"), description="Folder for the embedded SQLite database and uploaded files."
    )
    database_url: str | None = Field(
        None,
        description=(
            "SQLAlchemy URL of the database. Default: a SQLite file stocktake.sqlite3 in data_dir. "
            "PostgreSQL: postgresql+psycopg://user@host:5432/name."
        ),
    )
    secret_key: str | None = Field(
        None,
        description=(
            "Key that signs session cookies. Required in production; elsewhere, when unset, a "
            "random key is generated once and kept in data_dir/secret_key."
        ),
    )
    process: str | None = Field(
        None, description="Slug of the process the pages show; default: the first process loaded."
    )
    https_only_cookies: bool = Field(
        False, description="Send the session cookie only over HTTPS (set true behind TLS)."
    )
    session_max_age: int = Field(
        8 * 3600, description="Seconds a login lasts without activity before it must be repeated."
    )
    token_lifetime_days: int = Field(
        90, ge=1, le=3650, description="Days an API token is valid after it is issued."
    )
    sign_in_failures_per_account: int = Field(
        5, ge=1, description="Failed sign-ins an account may have in the window before a pause."
    )
    sign_in_failures_per_address: int = Field(
        20, ge=1, description="Failed sign-ins one address may make in the window before a pause."
    )
    sign_in_window: int = Field(
        900, ge=1, description="Seconds over which failed sign-ins are counted."
    )
    page_size: int = Field(50, ge=1, le=500, description="Rows per page in lists and the API.")
    max_input_chars: int = Field(
        50_000, ge=100, description="Longest text an input may have, in characters."
    )
    analysis_vectors: Literal["multilingual", "tfidf"] = Field(
        "multilingual",
        description=(
            "Vectors the analysis groups ideas and themes by: multilingual (sentence embeddings "
            "that join paraphrases and translations; the model ships with the install) or tfidf "
            "(word counts only, the fallback)."
        ),
    )
    analysis_scheduler: str | None = Field(
        None,
        description=(
            "Address of a Dask distributed scheduler (tcp://host:8786) whose workers run the "
            "analysis's heavy stages (vectors, duplicates, meaning) with the same results; "
            "empty: the process that runs the analysis does all of it."
        ),
    )
    max_upload_bytes: int = Field(
        20 * 2**20, ge=1024, description="Largest file accepted for an import or an attachment."
    )
    max_body_bytes: int = Field(
        2**20,
        ge=1024,
        description="Largest request body other than a file upload (JSON, forms), in bytes.",
    )
    db_pool_size: int = Field(
        10,
        ge=1,
        le=200,
        description=(
            "Database connections per server process; also how many requests are at work at once "
            "and how many worker threads serve them."
        ),
    )
    max_queued_requests: int = Field(
        200,
        ge=0,
        description="Requests that may wait for a free worker; beyond that the answer is 503.",
    )
    queue_timeout: float = Field(
        2.0,
        gt=0,
        description="Seconds a request may wait for a free worker before it is answered 503.",
    )
    write_queue_timeout: float = Field(
        30.0,
        gt=0,
        description=(
            "Seconds a signed-in write (a submission, a registration) or a sign-in may wait for "
            "its turn before it is answered 503; they go before any page view waiting."
        ),
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description=(
            "Addresses or networks of the proxies in front of the server, separated by commas "
            "(10.0.0.5, 10.0.0.0/8, fd00::/8). X-Forwarded-For is read only from them; by default "
            "from none, and the client is the connection's own address."
        ),
    )
    public_cache_seconds: float = Field(
        2.0,
        ge=0,
        le=300,
        description=(
            "Seconds an anonymous reader's page or API answer is kept and shared with other "
            "anonymous readers; 0 turns the cache off. Signed-in users see a change at once; the "
            "public sees it after at most this long, whichever server process made it."
        ),
    )

    public_url: str = Field(
        "http://127.0.0.1:8000",
        description=(
            "The site's address as its users reach it (https://stocktake.example.org): the links "
            "in e-mails and in a summary's downloaded files start with it."
        ),
    )
    smtp_host: str | None = Field(
        None,
        description=(
            "SMTP server that delivers the e-mails (notifications, digests). Unset: e-mails wait in "
            "the outbox, nothing else changes, and they go out once a server is set."
        ),
    )
    smtp_port: int = Field(587, ge=1, le=65535, description="Port of the SMTP server.")
    smtp_username: str | None = Field(None, description="User name at the SMTP server, if any.")
    smtp_password: str | None = Field(None, description="Password at the SMTP server, if any.")
    smtp_starttls: bool = Field(
        True, description="Upgrade the connection with STARTTLS (port 587); off for a local relay."
    )
    smtp_ssl: bool = Field(
        False, description="Connect over TLS from the start (port 465) instead of STARTTLS."
    )
    smtp_from: str = Field(
        "stocktake <noreply@localhost>", description="The From address of the e-mails."
    )
    smtp_timeout: float = Field(
        20.0,
        gt=0,
        description="Seconds to wait for the SMTP server before a send is retried later.",
    )
    mail_poll_seconds: float = Field(
        30.0,
        gt=0,
        description=(
            "Seconds between two looks at the outbox by the sender the server runs in the "
            "background (when smtp_host is set)."
        ),
    )
    digest_hour: int = Field(
        6,
        ge=0,
        le=23,
        description=(
            "Hour of the day (UTC) from which the background sender queues the daily digests, once "
            "a day; `stocktake mail digest` queues them at any time."
        ),
    )

    jobs_in_app: bool = Field(
        True,
        description=(
            "Whether each server process also runs a worker for the jobs (analysis runs, large "
            "imports, reports), as a single-machine install needs; turn it off when "
            "`stocktake worker` processes run them."
        ),
    )
    jobs_dir: Path | None = Field(
        None,
        description=(
            "Folder for the jobs' files: uploads waiting for their import, documents the jobs "
            "made (compilations, reports). Every server and worker must read and write it (a "
            "shared folder when they run on several machines). Default: data_dir/jobs."
        ),
    )
    jobs_stalled_after: float = Field(
        60.0,
        ge=1,
        description=(
            "Seconds without a heartbeat after which a job's worker is taken for gone and another "
            "worker, on any machine, takes the job over."
        ),
    )
    jobs_max_attempts: int = Field(
        3,
        ge=1,
        le=100,
        description=(
            "How many times a job is started before one whose worker keeps stopping is failed "
            "(with the reason) rather than taken over again."
        ),
    )

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part for part in value.split(",") if part.strip()]
        if isinstance(value, list):
            parse_networks(str(part) for part in value)  # refuse a wrong one at start
            return [str(part).strip() for part in value]
        return value

    @field_validator("analysis_scheduler", mode="before")
    @classmethod
    def _no_scheduler_when_empty(cls, value: object) -> object:
        return (value.strip() or None) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _refuse_missing_secret(self) -> Settings:
        if self.environment == "production" and (
            not self.secret_key or len(self.secret_key) < MIN_SECRET_LENGTH
        ):
            msg = (
                "STOCKTAKE_SECRET_KEY must be set to a secret value of at least "
                f"{MIN_SECRET_LENGTH} characters in production"
            )
            raise ValueError(msg)
        return self

    def session_secret(self) -> str:
        """The key that signs session cookies: the one set, or this installation's own, generated
        once into the data folder (readable by its owner only) and kept there."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / SECRET_FILE
        if path.exists():
            kept = path.read_text(encoding="utf-8").strip()
            if len(kept) >= MIN_SECRET_LENGTH:
                return kept
        path.parent.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_urlsafe(48)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(secret + "\n")
        return secret

    @property
    def trusted_networks(self) -> tuple[Network, ...]:
        return parse_networks(self.trusted_proxies)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'stocktake.sqlite3').resolve()}"


def get_settings(**overrides: object) -> Settings:
    """Build the settings from the environment; keyword arguments win (used by tests and the CLI)."""
    return Settings(**overrides)  # type: ignore[arg-type]
