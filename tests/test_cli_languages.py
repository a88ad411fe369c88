"""The command line speaks the language the environment names: STOCKTAKE_LANGUAGE, else the POSIX
locale (LC_ALL, LC_MESSAGES, LANG), else English; a STOCKTAKE_LANGUAGE that is none of the six is
said once and leaves the messages in English."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from stocktake.cli import app
from stocktake.commands import DEMO_NOTES
from stocktake.core.translation import command_language

runner = CliRunner()
LOCALE_VARIABLES = ("STOCKTAKE_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def run(url: str, environment: dict[str, str], *args: str) -> tuple[int, str]:
    """A command with only the given language variables set (the others unset, whatever the
    developer's own locale and the suite's English)."""
    env: dict[str, str | None] = dict.fromkeys(LOCALE_VARIABLES)
    env.update(environment)
    env["STOCKTAKE_DATABASE_URL"] = url
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, ("en", None)),
        ({"LANG": "fr_FR.UTF-8"}, ("fr", None)),
        ({"LANG": "fr_FR.UTF-8", "LC_MESSAGES": "ru_RU.UTF-8"}, ("ru", None)),
        ({"LANG": "fr_FR.UTF-8", "LC_MESSAGES": "ru_RU", "LC_ALL": "es_ES.UTF-8"}, ("es", None)),
        ({"LANG": "fr_FR.UTF-8", "LC_ALL": "C"}, ("en", None)),
        ({"LANG": "POSIX"}, ("en", None)),
        ({"LANG": "zh_CN.UTF-8"}, ("zh", None)),
        ({"LANG": "ar_EG.UTF-8@latin"}, ("ar", None)),
        ({"LANG": "de_DE.UTF-8"}, ("en", None)),
        ({"LANG": "fr_FR.UTF-8", "STOCKTAKE_LANGUAGE": "ar"}, ("ar", None)),
        ({"STOCKTAKE_LANGUAGE": "fr-CA"}, ("fr", None)),
        ({"STOCKTAKE_LANGUAGE": "ZH"}, ("zh", None)),
        ({"STOCKTAKE_LANGUAGE": "", "LANG": "es_ES.UTF-8"}, ("es", None)),
        ({"STOCKTAKE_LANGUAGE": "de", "LANG": "fr_FR.UTF-8"}, ("en", "de")),
    ],
)
def test_the_language_comes_from_the_environment(
    environment: dict[str, str], expected: tuple[str, str | None]
) -> None:
    assert command_language(environment) == expected


def test_a_french_locale_prints_french(cli_db: str) -> None:
    french = {"LANG": "fr_FR.UTF-8"}
    code, output = run(cli_db, french, "db", "upgrade")
    assert code == 0, output
    assert "Base de données à la révision head" in output
    code, output = run(cli_db, french, "meetings", "stats", "puerto-vallarta-2017")
    assert code == 0, output
    assert "entités des Nations Unies et autres organisations" in output
    assert "Par groupe régional" in output
    assert "Participants" in output
    assert "By regional group" not in output
    code, output = run(cli_db, french, "inputs", "export", "--format", "pdf")
    assert code == 1
    assert "erreur :" in output
    assert "export : refusé, rien n'a été enregistré (1 problème)" in output
    assert "format inconnu 'pdf' ; utilisez csv, xlsx ou json" in output
    code, output = run(cli_db, french, "demo")
    assert code == 0, output
    assert "Données de démonstration déjà chargées ; rien n'a changé." in output
    assert "mot de passe commun à tous : stocktake-demo" in output
    assert "délégation du Mexique" in output


def test_the_demo_logins_notes_are_in_the_catalogs() -> None:
    from stocktake.demo.generator import DEMO_LOGINS

    assert {login.note for login in DEMO_LOGINS} == set(DEMO_NOTES)


def test_stocktake_language_comes_before_the_locale_and_counts_in_arabic(
    cli_db: str, tmp_path: Path
) -> None:
    arabic = {"STOCKTAKE_LANGUAGE": "ar", "LANG": "fr_FR.UTF-8"}
    code, output = run(cli_db, arabic, "db", "upgrade")
    assert code == 0, output
    assert "قاعدة البيانات في المراجعة head" in output
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,name,category,country\nAR-1,One,academia,Narnia\nAR-2,Two,academia,Atlantis\n",
        encoding="utf-8",
    )
    code, output = run(cli_db, arabic, "actors", "import", str(bad))
    assert code == 1
    assert "خطأ:" in output
    # two problems: the dual form of Arabic's six
    assert "مرفوض، لم يُخزَّن أي شيء (2 مشكلتان)" in output
    # what is wrong, and where (row, field), in Arabic too; the file's column and the value as given
    assert "الصف 2، الحقل country: بلد غير معروف 'Narnia'" in output
    code, output = run(
        cli_db, {"STOCKTAKE_LANGUAGE": "ru"}, "actors", "import", str(tmp_path / "none.csv")
    )
    assert code == 1
    assert "ошибка:" in output
    assert "отклонено, ничего не сохранено (1 проблема)" in output
    assert "не удаётся прочитать:" in output


def test_the_c_locale_prints_english(cli_db: str) -> None:
    for environment in ({"LANG": "C"}, {"LANG": "fr_FR.UTF-8", "LC_ALL": "C"}, {}):
        code, output = run(cli_db, environment, "db", "upgrade")
        assert code == 0, output
        assert "Database at revision head" in output
        assert "warning" not in output


def test_an_unknown_language_is_said_once_and_prints_english(cli_db: str) -> None:
    code, output = run(cli_db, {"STOCKTAKE_LANGUAGE": "de"}, "meetings", "stats", "atlantis-1999")
    assert code == 1
    assert output.count("STOCKTAKE_LANGUAGE='de' is not one of stocktake's languages") == 1
    assert "messages are in English" in output
    assert "error: meeting 'atlantis-1999' does not exist" in output
    code, output = run(cli_db, {"STOCKTAKE_LANGUAGE": "de"}, "db", "upgrade")
    assert code == 0
    assert output.count("is not one of stocktake's languages") == 1
    assert "Database at revision head" in output


def test_help_speaks_the_command_lines_language(cli_db: str) -> None:
    code, output = run(cli_db, {"STOCKTAKE_LANGUAGE": "fr"}, "meetings", "stats", "--help")
    assert code == 0, output
    assert "Utilisation :" in output
    assert "Chiffres de participation d’une réunion" in output  # the command's own help
    assert "Afficher les chiffres au format JSON" in output  # an option's help
    assert "Afficher ce message et quitter." in output  # the help option, Typer's own
    code, output = run(cli_db, {"STOCKTAKE_LANGUAGE": "en"}, "meetings", "stats", "--help")
    assert "Participation figures of a meeting" in output
    assert "Usage:" in output


def test_a_flag_s_help_names_no_value(cli_db: str) -> None:
    """`--json` takes no value, so its line shows none; `--strict <bool>` read as if it took one."""
    code, output = run(cli_db, {"COLUMNS": "120"}, "review", "import-opensdg", "--help")
    assert code == 0, output
    assert "<bool>" not in output
    assert "<str>" in output  # --country does take a value
    assert "--strict " in output


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (("meetings", "stats", "--bogus"), "Option inconnue : --bogus"),
        (("meetings", "stats"), "Argument manquant"),
        (("meetings", "nowhere"), "Commande inconnue 'nowhere'."),
        (("meetings", "stats", "a", "b"), "Arguments supplémentaires inattendus (b)"),
    ],
)
def test_a_wrong_command_line_is_refused_in_its_language(
    cli_db: str, arguments: tuple[str, ...], said: str
) -> None:
    code, output = run(cli_db, {"STOCKTAKE_LANGUAGE": "fr"}, *arguments)
    assert code == 2
    assert said in " ".join(output.split()), output
