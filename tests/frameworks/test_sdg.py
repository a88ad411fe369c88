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
from stocktake.frameworks.services import import_sdg_framework
from tests.conftest import SDG_FRAMEWORK


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


def test_the_framework_is_stored_once_and_reimporting_changes_nothing(session: Session) -> None:
    stored = session.scalar(select(func.count(FrameworkItem.id)))
    assert stored == len(read_sdg_folder(SDG_FRAMEWORK).items)
    assert import_sdg_framework(session, SDG_FRAMEWORK, by=Principal.system()) == (0, 0)
    with pytest.raises(PermissionDenied):
        import_sdg_framework(session, SDG_FRAMEWORK, by=Principal(role=Role.STAKEHOLDER, user_id=1))


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
