"""The command line as a finance officer's script sees it: exit codes and stderr, no traceback."""
import pytest

from tests import support


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A SQLite file with the demo data; the command runs as its own process against it."""
    return support.demo_database(tmp_path_factory, "cli")


def run(env, *args):
    return support.run_command(env, "own_share", *args)


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
