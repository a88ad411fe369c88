from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stocktake.core.errors import PermissionDenied, ValidationFailed
from stocktake.core.permissions import Principal, Role
from stocktake.frameworks.models import FrameworkItem
from stocktake.frameworks.sdg import read_sdg_folder
from stocktake.frameworks.services import REFERENCE_SDG, import_sdg_framework
from tests.conftest import SDG_FRAMEWORK
from tests.factories.frameworks import sdg


def test_the_open_sdg_folder_gives_goals_targets_and_indicators_in_six_languages() -> None:
    framework = read_sdg_folder(SDG_FRAMEWORK)
    assert sorted(framework.languages) == ["ar", "en", "es", "fr", "ru", "zh"]
    assert len(framework.of_level("goal")) == 17
    assert len(framework.of_level("target")) == 169
    assert len(framework.of_level("indicator")) > 200
    target = framework.items["10.7"]
    assert target.parent_code == "10"
    assert "migration" in target.texts["en"]
    assert set(target.texts) == {"ar", "en", "es", "fr", "ru", "zh"}
    assert framework.items["10.c.1"].parent_code == "10.c"
    assert framework.items["10"].short["en"] == "Reduced inequalities"


def test_the_framework_is_stored_once_and_reimporting_changes_nothing(
    bare_session: Session,
) -> None:
    sdg(bare_session)
    stored = bare_session.scalar(select(func.count(FrameworkItem.id)))
    assert stored == len(read_sdg_folder(SDG_FRAMEWORK).items)
    assert import_sdg_framework(bare_session, SDG_FRAMEWORK, by=Principal.system()) == (0, 0)
    with pytest.raises(PermissionDenied):
        import_sdg_framework(
            bare_session, SDG_FRAMEWORK, by=Principal(role=Role.STAKEHOLDER, user_id=1)
        )


def test_a_folder_without_english_or_with_broken_yaml_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="no 'en' folder"):
        read_sdg_folder(tmp_path)
    copy = tmp_path / "sdg"
    shutil.copytree(SDG_FRAMEWORK / "en", copy / "en")
    (copy / "en" / "global_targets.yml").write_text(
        "1-1-title: fine\n1-2-title: [unclosed\n", encoding="utf-8"
    )
    (copy / "en" / "global_indicators.yml").unlink()
    with pytest.raises(ValidationFailed) as caught:
        read_sdg_folder(copy)
    problems = [str(p) for p in caught.value.problems]
    assert any(
        p.startswith("en/global_targets.yml, line 2")
        or p.startswith("en/global_targets.yml, line 3")
        for p in problems
    ), problems
    assert "en/global_indicators.yml: is missing" in problems


def test_a_fresh_database_gets_the_shipped_framework_from_the_command(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from stocktake.cli import app
    from stocktake.core.db import create_db_engine

    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    runner = CliRunner()
    env = {"STOCKTAKE_DATABASE_URL": url}
    assert runner.invoke(app, ["db", "upgrade"], env=env).exit_code == 0
    result = runner.invoke(app, ["frameworks", "load-reference"], env=env)
    assert result.exit_code == 0, result.output
    shipped = len(read_sdg_folder(REFERENCE_SDG).items)
    assert f"{shipped} items created" in result.output
    engine = create_db_engine(url)
    with Session(engine) as fresh:
        target = fresh.scalar(select(FrameworkItem).where(FrameworkItem.code == "10.7"))
        assert target is not None
        assert set(target.texts) == {"ar", "en", "es", "fr", "ru", "zh"}
    engine.dispose()
    again = runner.invoke(app, ["frameworks", "load-reference"], env=env)
    assert "0 items created, 0 updated" in again.output
    changed = tmp_path / "sdg"
    shutil.copytree(REFERENCE_SDG, changed)
    goals = changed / "en" / "global_goals.yml"
    goals.write_text(
        goals.read_text(encoding="utf-8").replace("Reduced inequalities", "Fewer inequalities"),
        encoding="utf-8",
    )
    updated = runner.invoke(app, ["frameworks", "import", str(changed)], env=env)
    assert updated.exit_code == 0, updated.output
    assert "0 items created, 1 updated" in updated.output


def test_the_shipped_framework_carries_its_licence_and_source() -> None:
    assert "Open SDG" in (REFERENCE_SDG / "LICENSE").read_text(encoding="utf-8")
    readme = (REFERENCE_SDG / "README.md").read_text(encoding="utf-8")
    assert "MIT" in readme
    assert "open-sdg/sdg-translations" in readme


def test_the_demo_loads_the_shipped_framework(session: Session) -> None:
    # the test database was loaded by load_demo, which takes the shipped copy when given no folder
    assert session.scalar(select(func.count(FrameworkItem.id))) == len(
        read_sdg_folder(REFERENCE_SDG).items
    )
