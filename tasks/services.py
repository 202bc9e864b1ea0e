"""Writes of task runs: starting one (row + message to the queue) and the task's own reports of its progress.

A run is started by ``taskrun_start``: the row is saved first, and the task is sent once the transaction has
committed, so a worker never looks for a row it cannot see yet. Without a broker (``CELERY_TASK_ALWAYS_EAGER``)
the task runs right there, in the caller's process and transaction; the row is then finished when
``taskrun_start`` returns (callers re-read it). The task writes progress through ``taskrun_progress`` and ends
with ``taskrun_finish`` or ``taskrun_fail``; each is one UPDATE of the row, so a page polling the run never
waits for the task.
"""
from __future__ import annotations

import logging
from pathlib import Path
from uuid import uuid4

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from kimportal.celery import app as celery_app
from kimportal.files import write_atomically

from .models import TaskRun

logger = logging.getLogger(__name__)

# Sent by taskrun_progress in the process running the task (run_id, percent, message): manage.py render_all
# prints each step when the task runs inline.
progress_reported = Signal()

QUEUE_DOWN = ("Der Auftrag konnte nicht an die Warteschlange (Redis) übergeben werden; bitte später erneut "
              "versuchen oder die Verwaltung informieren.")
STARTED = "Wartet auf einen freien Hintergrundprozess …"


def taskrun_start(*, kind: str, title: str, params: dict, county=None, user=None) -> TaskRun:
    """Save a waiting run and send its task (tasks.tasks.BY_KIND[kind]) when the transaction commits (inline:
    at once).

    ``params``: JSON values only (see TaskRun). Without a broker the task runs inline before this returns.
    A broker that cannot be reached ends the run as failed with a German message (QUEUE_DOWN), no exception.
    """
    run = TaskRun(kind=kind, title=title[:250], params=params, county=county, user=user, celery_id=str(uuid4()),
                  message=STARTED)
    run.full_clean()
    run.save()
    from .tasks import BY_KIND

    task = BY_KIND[run.kind]
    if celery_app.conf.task_always_eager:
        # Inline: the task sees the row in the caller's own transaction. Task.apply, not apply_async, which
        # would also set up a (never used) connection to a broker that is not there.
        task.apply(args=[run.pk], task_id=run.celery_id)
    else:
        transaction.on_commit(lambda: _send(task, run))
    return run


def _send(task, run: TaskRun) -> None:
    from kombu.exceptions import OperationalError

    try:
        task.apply_async(args=[run.pk], task_id=run.celery_id)
    except OperationalError as exc:
        # One line: the reason ("Error 111 connecting to 127.0.0.1:6379") says it all, a traceback adds nothing.
        logger.error("Task run %s could not be sent to the broker: %s", run.pk, exc)
        taskrun_fail(run.pk, QUEUE_DOWN)


def taskrun_begin(run_id: int) -> TaskRun | None:
    """Mark a waiting run as running and return it; None if it is gone or not waiting (a second delivery)."""
    claimed = TaskRun.objects.filter(pk=run_id, status=TaskRun.Status.WAITING).update(
        status=TaskRun.Status.RUNNING, started_at=timezone.now(), progress=0, message="Läuft …")
    if not claimed:
        return None
    return TaskRun.objects.select_related("county", "user").get(pk=run_id)


def taskrun_progress(run_id: int, percent: int, message: str) -> None:
    """``percent`` 0–100 (clamped) and a German line saying what the task does now."""
    percent = max(0, min(100, int(percent)))
    TaskRun.objects.filter(pk=run_id).update(progress=percent, message=message[:500])
    progress_reported.send(sender=TaskRun, run_id=run_id, percent=percent, message=message)


def taskrun_finish(run_id: int, message: str, result_file: str = "") -> None:
    """The run is done: progress 100, its German summary, and its file (relative to TASK_FILES_DIR) if any."""
    TaskRun.objects.filter(pk=run_id).update(status=TaskRun.Status.DONE, progress=100, message=message[:500],
                                             result_file=result_file, finished_at=timezone.now())


def taskrun_fail(run_id: int, message: str) -> None:
    """The run failed: one German line for the user (details of unexpected errors go to the server's log)."""
    TaskRun.objects.filter(pk=run_id).update(status=TaskRun.Status.FAILED, message=message[:500],
                                             finished_at=timezone.now())


def write_file(target: Path, content: bytes) -> None:
    """Write a task's file without leaving half a file behind (kimportal.files.write_atomically)."""
    write_atomically(target, content)
