from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from stocktake.config import Settings, get_settings
from stocktake.refdocs import api_reference, cli_reference, openapi_schema

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_production_refuses_the_development_secret() -> None:
    with pytest.raises(ValidationError, match="STOCKTAKE_SECRET_KEY must be set"):
        get_settings(environment="production")
    assert (
        get_settings(environment="production", secret_key="s3cret-from-the-vault").environment
        == "production"
    )


def test_settings_are_read_from_the_environment_when_built(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STOCKTAKE_DATABASE_URL", raising=False)
    monkeypatch.setenv("STOCKTAKE_PAGE_SIZE", "25")
    monkeypatch.setenv("STOCKTAKE_DATA_DIR", "/srv/stocktake")
    settings = get_settings()
    assert settings.page_size == 25
    assert settings.resolved_database_url == "sqlite:////srv/stocktake/stocktake.sqlite3"


def test_every_setting_is_documented() -> None:
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"STOCKTAKE_{name.upper()}" in text, (
            f"STOCKTAKE_{name.upper()} is not in docs/configuration.md"
        )


def test_the_cli_and_api_references_match_the_code() -> None:
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == cli_reference(), "run `make docs`"
    assert (DOCS / "api.md").read_text(encoding="utf-8") == api_reference(openapi_schema()), (
        "run `make docs`"
    )
