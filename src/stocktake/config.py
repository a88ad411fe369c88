"""Settings: one typed object, built when the app or the CLI starts, never at import."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "development-only-secret-change-me"  # noqa: S105  (refused outside development)


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
    secret_key: str = Field(
        DEVELOPMENT_SECRET, description="Key that signs session cookies. Must be set in production."
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
    max_upload_bytes: int = Field(
        20 * 2**20, ge=1024, description="Largest file accepted for an import or an attachment."
    )

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.environment == "production" and self.secret_key == DEVELOPMENT_SECRET:
            msg = "STOCKTAKE_SECRET_KEY must be set to a secret value in production"
            raise ValueError(msg)
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'stocktake.sqlite3').resolve()}"


def get_settings(**overrides: object) -> Settings:
    """Build the settings from the environment; keyword arguments win (used by tests and the CLI)."""
    return Settings(**overrides)  # type: ignore[arg-type]
