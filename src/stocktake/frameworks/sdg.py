"""Read the SDG framework from an Open SDG translations folder: one folder per language (en, fr, es,
ar, ru, zh-Hans...) holding global_goals.yml, global_targets.yml and global_indicators.yml, whose keys
look like `10-title`, `10-short`, `10-7-title`, `10-7-2-title`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from stocktake.core.errors import Problem, ValidationFailed
from stocktake.core.translation import Text

FILES = {
    "goal": "global_goals.yml",
    "target": "global_targets.yml",
    "indicator": "global_indicators.yml",
}
LANGUAGE_FOLDERS = {
    "en": "en",
    "fr": "fr",
    "es": "es",
    "ar": "ar",
    "ru": "ru",
    "zh-Hans": "zh",
    "zh": "zh",
}
_KEY = re.compile(r"^(\d{1,2})(?:-([0-9a-z]{1,2}))?(?:-(\d{1,2}))?-(title|short)$")


@dataclass
class SdgItem:
    level: str
    code: str
    parent_code: str | None
    texts: dict[str, str] = field(default_factory=dict)
    short: dict[str, str] = field(default_factory=dict)

    @property
    def goal(self) -> str:
        return self.code.split(".")[0]


@dataclass
class SdgFramework:
    items: dict[str, SdgItem] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)

    def of_level(self, level: str) -> list[SdgItem]:
        return [item for item in self.items.values() if item.level == level]


def read_sdg_folder(folder: Path) -> SdgFramework:
    """Parse every language folder found; refuse a folder without English or with a broken file."""
    if not folder.is_dir():
        raise ValidationFailed(str(folder), [Problem("", Text("is not a folder"))])
    framework = SdgFramework()
    problems: list[Problem] = []
    found = {name: code for name, code in LANGUAGE_FOLDERS.items() if (folder / name).is_dir()}
    if "en" not in found:
        raise ValidationFailed(
            str(folder),
            [
                Problem(
                    "",
                    Text(
                        "no 'en' folder: an Open SDG translations folder holds one folder per "
                        "language"
                    ),
                )
            ],
        )
    for name, language in sorted(found.items()):
        framework.languages.append(language)
        for level, filename in FILES.items():
            path = folder / name / filename
            if not path.exists():
                problems.append(Problem(f"{name}/{filename}", Text("is missing")))
                continue
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                mark = getattr(exc, "problem_mark", None)
                where = f"{name}/{filename}" + (f", line {mark.line + 1}" if mark else "")
                problems.append(
                    Problem(
                        where,
                        Text(
                            "not readable YAML: %(reason)s",
                            reason=str(getattr(exc, "problem", exc)),
                        ),
                    )
                )
                continue
            if not isinstance(data, dict):
                problems.append(
                    Problem(f"{name}/{filename}", Text("expected keys such as 10-7-title"))
                )
                continue
            for key, value in data.items():
                match = _KEY.match(str(key))
                if not match or value is None:
                    continue
                goal, target, indicator, kind = match.groups()
                parts = [p for p in (goal, target, indicator) if p]
                actual = ("goal", "target", "indicator")[len(parts) - 1]
                if actual != level:
                    continue
                code = ".".join(parts)
                item = framework.items.setdefault(
                    code, SdgItem(level=level, code=code, parent_code=".".join(parts[:-1]) or None)
                )
                (item.texts if kind == "title" else item.short)[language] = " ".join(
                    str(value).split()
                )
    if problems:
        raise ValidationFailed(str(folder), problems)
    if not framework.of_level("goal"):
        raise ValidationFailed(
            str(folder), [Problem("en/global_goals.yml", Text("holds no goals"))]
        )
    return framework


def without(framework: SdgFramework, codes: set[str]) -> SdgFramework:
    """The framework without those items and their children (a target's indicators): what the
    SDG linker may read when it is scored on them."""
    items = {
        code: item
        for code, item in framework.items.items()
        if code not in codes and item.parent_code not in codes
    }
    return SdgFramework(items=items, languages=list(framework.languages))
