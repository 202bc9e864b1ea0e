"""Shared test support: the demo database for command-line tests, and migrating to an older schema.

Command-line tests run ``manage.py`` as its own process against a SQLite file with the demo data
(``demo_database``); migration tests move the test database back to the migrations a data migration starts
from (``migrate``) and forward again afterwards (``old_schema``).
"""
import os
import subprocess
import sys
from pathlib import Path

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

ROOT = Path(__file__).resolve().parent.parent


def demo_database(tmp_path_factory, name: str) -> dict:
    """The environment of a fresh SQLite file ``<tmp>/<name>/demo.sqlite3`` holding the migrated demo data."""
    path = tmp_path_factory.mktemp(name) / "demo.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "DJANGO_DEBUG": "1"}
    for command in (["migrate", "-v0"], ["load_demo", "--no-users"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    return env


def run_command(env: dict, command: str, *args) -> subprocess.CompletedProcess:
    """``manage.py <command> <args>`` against ``env``'s database; text output, never raising on exit status."""
    return subprocess.run([sys.executable, "manage.py", command, *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True)


def migrate(targets):
    """Migrate the test database to ``targets`` ([(app, migration), ...]); the apps of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def old_schema(targets):
    """A generator for a fixture: the apps at ``targets``, then the newest schema again whatever happened."""
    try:
        yield migrate(targets)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
