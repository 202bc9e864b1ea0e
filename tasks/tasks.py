"""The Celery tasks. Each takes the id of a waiting tasks.models.TaskRun, runs its kind's runner (tasks.runners) and
keeps the run's status, progress and message up to date.

Errors end as status "fehlgeschlagen" with one German line: the runner's own (TaskFailed), the time limit's, or
for anything unexpected a generic line, the traceback going to the worker's log only. The return value (run id,
status) is for callers that wait on the queue, e.g. the test of the queue path; users read the run.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connections

from . import runners
from .models import TaskRun
from .services import taskrun_begin, taskrun_fail, taskrun_finish, taskrun_progress

logger = logging.getLogger(__name__)

UNEXPECTED = ("Der Auftrag ist wegen eines unerwarteten Fehlers abgebrochen; die Einzelheiten stehen im Protokoll "
              "des Servers. Bitte die Verwaltung informieren.")


def time_limit_message() -> str:
    minutes = max(1, round(settings.CELERY_TASK_SOFT_TIME_LIMIT / 60))
    return (f"Der Auftrag hat die Zeitgrenze von {minutes} Minuten überschritten und wurde abgebrochen; "
            "bitte mit weniger auf einmal erneut starten.")


def execute(task, run_id: int, runner: Callable[[TaskRun, runners.Progress], runners.Outcome]) -> dict:
    """Run ``runner`` for the run ``run_id`` and record how it ended; never raises for the runner's errors."""
    status = None
    try:
        run = taskrun_begin(run_id)
        if run is None:  # gone, or already taken by another delivery of the same message
            logger.warning("Task run %s is not waiting; %s skipped", run_id, task.name)
            return {"run": run_id, "status": None}
        try:
            outcome = runner(run, lambda percent, message: taskrun_progress(run_id, percent, message))
        except runners.TaskFailed as exc:
            taskrun_fail(run_id, str(exc))
            status = TaskRun.Status.FAILED
        except SoftTimeLimitExceeded:
            taskrun_fail(run_id, time_limit_message())
            status = TaskRun.Status.FAILED
        except Exception:
            logger.exception("Task run %s (%s) failed", run_id, task.name)
            taskrun_fail(run_id, UNEXPECTED)
            status = TaskRun.Status.FAILED
        else:
            taskrun_finish(run_id, outcome.message, outcome.result_file)
            status = TaskRun.Status.DONE
        return {"run": run_id, "status": status}
    finally:
        # Inline (no broker) the caller's connection and transaction are left alone. A worker's tasks are long
        # and few: a fresh connection per task costs nothing and never outlives a restart of the database.
        if not task.request.is_eager:
            connections.close_all()


@shared_task(bind=True)
def render_report_task(self, run_id: int) -> dict:
    """One report as a PDF (tasks.runners.render_report)."""
    return execute(self, run_id, runners.render_report)


@shared_task(bind=True)
def render_all_task(self, run_id: int) -> dict:
    """Every county's papers of one fiscal year (tasks.runners.render_all), progress per paper."""
    return execute(self, run_id, runners.render_all)


@shared_task(bind=True)
def import_actuals_task(self, run_id: int) -> dict:
    """Actual costs from an uploaded file (tasks.runners.import_actuals)."""
    return execute(self, run_id, runners.import_actuals)


BY_KIND = {
    TaskRun.Kind.REPORT: render_report_task,
    TaskRun.Kind.RENDER_ALL: render_all_task,
    TaskRun.Kind.IMPORT_ACTUALS: import_actuals_task,
}
