"""The command line as a finance officer's script sees it: exit codes and stderr, no traceback."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A SQLite file with the demo data; the command runs as its own process against it."""
    path = tmp_path_factory.mktemp("cli") / "demo.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "DJANGO_DEBUG": "1"}
    for command in (["migrate", "-v0"], ["load_demo", "--no-users"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    return env


def run(env, *args):
    return subprocess.run([sys.executable, "manage.py", "own_share", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)


def test_the_acceptance_figures_on_stdout(database):
    result = run(database, "--county", "rhein-sieg-kreis", "--from", "2021-12", "--to", "2022-12")
    assert result.returncode == 0, result.stderr
    assert "Risikospanne: 60.330\u00a0€ – 578.466\u00a0€" in result.stdout


@pytest.mark.parametrize("args", [
    ["--county", "atlantis", "--from", "2021-12", "--to", "2022-12"],
    ["--county", "rhein-sieg-kreis", "--from", "2021-13", "--to", "2022-12"],
    ["--county", "rhein-sieg-kreis", "--from", "2021-12", "--to", "2022-12", "--scenario", "nope"],
    ["--county", "rhein-sieg-kreis", "--from", "2021-12", "--to", "2022-12", "--unknown-option"],
])
def test_bad_input_is_one_line_on_stderr_and_a_non_zero_exit(database, args):
    result = run(database, *args)
    assert result.returncode != 0
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
