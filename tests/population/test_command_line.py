"""``import_population`` as a script sees it: bad input is one German line on stderr and a non-zero exit."""
from pathlib import Path

import pytest

from tests import support

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = Path(__file__).parent / "data" / "12411-01ir_2021-12-31.csv"


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A SQLite file with the demo data; the command runs as its own process against it."""
    return support.demo_database(tmp_path_factory, "population-cli")


def run(env, *args):
    return support.run_command(env, "import_population", *args)


def test_the_sample_prints_neuss_and_exits_zero(database):
    result = run(database, SAMPLE, "--county", "rhein-kreis-neuss", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "  Neuss (05162024): 152.731 unverändert, Quelle ersetzt" in result.stdout
    assert "Probelauf" in result.stdout


@pytest.fixture
def broken(tmp_path):
    path = tmp_path / "kaputt.csv"
    path.write_bytes(SAMPLE.read_bytes().replace(b"05162024;Neuss, Stadt;152731", b"05162024;Neuss, Stadt;x"))
    return path


@pytest.fixture
def pdf(tmp_path):
    path = tmp_path / "einwohner.pdf"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    return path


@pytest.mark.parametrize("args", [
    [],
    ["fehlt.csv"],
    ["PDF"],
    ["PDF", "--county", "rhein-sieg-kreis"],
    [ROOT / "README.md"],
    ["BROKEN"],
    [SAMPLE, "--as-of", "31.11.2021"],
    [SAMPLE, "--county", "atlantis"],
    [SAMPLE, "--unknown-option"],
])
def test_bad_input_is_one_line_on_stderr_and_a_non_zero_exit(database, broken, pdf, args):
    result = run(database, *[{"BROKEN": broken, "PDF": pdf}.get(arg, arg) for arg in args])
    assert result.returncode != 0
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_a_pdf_is_refused_in_one_clear_line_and_nothing_is_saved(database, pdf):
    before = run(database, SAMPLE, "--county", "rhein-kreis-neuss", "--dry-run").stdout

    result = run(database, pdf, "--county", "rhein-kreis-neuss")

    assert result.returncode == 1
    assert result.stderr.strip().endswith(f"„{pdf}“ ist keine CSV- oder XLSX-Datei (Endung .pdf); bitte die Tabelle "
                                          "der Landesdatenbank als CSV oder XLSX exportieren.")
    # Nothing changed: the sample still finds Neuss' figure unchanged, only its source to replace.
    assert run(database, SAMPLE, "--county", "rhein-kreis-neuss", "--dry-run").stdout == before
