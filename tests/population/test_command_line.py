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


def test_the_sample_prints_alfter_and_exits_zero(database):
    result = run(database, SAMPLE, "--county", "rhein-sieg-kreis", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "  Alfter (05382004): 23.521 unverändert, Quelle ersetzt" in result.stdout
    assert "Probelauf" in result.stdout


@pytest.fixture
def broken(tmp_path):
    path = tmp_path / "kaputt.csv"
    path.write_bytes(SAMPLE.read_bytes().replace(b"05382004;Alfter, Gemeinde;23521", b"05382004;Alfter, Gemeinde;x"))
    return path


@pytest.mark.parametrize("args", [
    ["fehlt.csv"],
    [ROOT / "README.md"],
    ["BROKEN"],
    [SAMPLE, "--as-of", "31.11.2021"],
    [SAMPLE, "--county", "atlantis"],
    [SAMPLE, "--unknown-option"],
])
def test_bad_input_is_one_line_on_stderr_and_a_non_zero_exit(database, broken, args):
    result = run(database, *[broken if arg == "BROKEN" else arg for arg in args])
    assert result.returncode != 0
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
