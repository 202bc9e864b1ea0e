"""``import_population`` as a script sees it: bad input is one German line on stderr and a non-zero exit."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = Path(__file__).parent / "data" / "12411-01ir_2021-12-31.csv"


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A SQLite file with the demo data; the command runs as its own process against it."""
    path = tmp_path_factory.mktemp("population-cli") / "demo.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "DJANGO_DEBUG": "1"}
    for command in (["migrate", "-v0"], ["load_demo", "--no-users"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    return env


def run(env, *args):
    return subprocess.run([sys.executable, "manage.py", "import_population", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True)


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
