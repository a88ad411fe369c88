from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import Engine

from stocktake.app import create_app
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


def test_a_development_install_generates_and_keeps_its_own_secret(tmp_path: Path) -> None:
    first = get_settings(environment="development", data_dir=tmp_path / "a")
    secret = first.session_secret()
    assert len(secret) >= 32
    assert (tmp_path / "a" / "secret_key").stat().st_mode & 0o777 == 0o600
    assert (
        get_settings(environment="development", data_dir=tmp_path / "a").session_secret() == secret
    )
    assert (
        get_settings(environment="development", data_dir=tmp_path / "b").session_secret() != secret
    )
    assert "development-only-secret-change-me" not in secret


def test_production_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="STOCKTAKE_SECRET_KEY must be set"):
        get_settings(environment="production", data_dir=tmp_path)
    with pytest.raises(ValidationError, match="at least 16 characters"):
        get_settings(environment="production", secret_key="short")
    assert not (tmp_path / "secret_key").exists()


def test_a_cookie_signed_with_the_former_constant_opens_nothing(
    tmp_path: Path, engine: Engine
) -> None:
    from itsdangerous import TimestampSigner

    forged = TimestampSigner("development-only-secret-change-me").sign(
        base64.b64encode(json.dumps({"user_id": 1}).encode())
    )
    settings = get_settings(environment="development", data_dir=tmp_path)
    with TestClient(create_app(settings, engine)) as client:
        client.cookies.set("stocktake_session", forged.decode())
        response = client.get("/audit", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
