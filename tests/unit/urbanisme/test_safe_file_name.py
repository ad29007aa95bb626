from __future__ import annotations

import unicodedata

import pytest

from demarches.urbanisme.pdf_check import safe_file_name


def test_accents_are_kept() -> None:
    name = "Plan de situation – parcelle AB 123, été 2026.pdf"

    assert safe_file_name(name) == name


def test_decomposed_accents_become_composed() -> None:
    decomposed = "Ple\u0301biscite.pdf"

    result = safe_file_name(decomposed)

    assert result == "Plébiscite.pdf"
    assert unicodedata.is_normalized("NFC", result)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("/var/task/app.py", "app.py"),
        ("C:\\Users\\notaire\\Bureau\\DIA signée.pdf", "DIA signée.pdf"),
        ("dossier/..\\..\\plan.pdf", "plan.pdf"),
    ],
)
def test_directories_are_stripped(name: str, expected: str) -> None:
    assert safe_file_name(name) == expected


@pytest.mark.parametrize("name", ["..", ".", "...", "a/..", "", "   ", "\x00\x01"])
def test_names_left_empty_get_the_default(name: str) -> None:
    assert safe_file_name(name) == "document.pdf"


def test_default_can_be_chosen() -> None:
    assert safe_file_name("..", default="piece.pdf") == "piece.pdf"


def test_leading_dots_are_removed() -> None:
    assert safe_file_name(".htaccess.pdf") == "htaccess.pdf"


def test_trailing_dots_and_spaces_are_removed() -> None:
    assert safe_file_name("plan.pdf. . ") == "plan.pdf"


def test_control_characters_are_removed() -> None:
    assert safe_file_name("plan\x00\n\r\t.pdf") == "plan.pdf"


def test_bidirectional_override_is_removed() -> None:
    # U+202E would display "plan\u202efdp.exe" as "planexe.pdf".
    assert safe_file_name("plan\u202efdp.exe") == "planfdp.exe"


def test_windows_forbidden_characters_are_replaced() -> None:
    assert safe_file_name('a<b>c:d"e|f?g*.pdf') == "a_b_c_d_e_f_g_.pdf"


def test_whitespace_runs_collapse() -> None:
    assert safe_file_name("  plan   de\u00a0 masse.pdf ") == "plan de masse.pdf"


def test_long_name_keeps_extension() -> None:
    result = safe_file_name("é" * 300 + ".pdf")

    assert len(result.encode("utf-8")) <= 255
    assert result.endswith(".pdf")
    assert set(result.removesuffix(".pdf")) == {"é"}


def test_cut_never_splits_a_character() -> None:
    # 9 bytes leave 5 for the stem: "aéa" and the first byte of the next "é".
    result = safe_file_name("aé" * 10 + ".pdf", max_bytes=9)

    assert result == "aéa.pdf"


def test_long_extension_is_cut() -> None:
    result = safe_file_name("plan." + "x" * 40, max_bytes=20)

    assert result == "plan." + "x" * 15
