"""A background task's run: what was asked, by whom, how far it is, and the file it made.

Celery (kimportal/celery.py) carries the work; its own result store is not where users look. A ``TaskRun`` is
written by the page or command that starts the work (tasks.services.taskrun_start) and by the task itself as it
goes (tasks.tasks): status, progress in percent, a German one-line message, and a result file under
``settings.TASK_FILES_DIR``. The task page (/auftraege/<pk>/) reads only this row.
"""
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from kimportal.models import County


class TaskRun(models.Model):
    """One run of a background task for a county (or for all counties: ``county`` empty, e.g. render_all).

    ``params``: the task's input as JSON, by kind – report: {"report": "kim", "start": "2022-01", "end": "2022-12",
    "scenario": …, "fiscal_year": …, "show_names": false}; render_all: {"year": 2022, "output_dir": "/…",
    "counties": [slugs], "reports": [slugs]}; import_actuals: {"file": "<relative path>", "file_name": …,
    "mapping": {header: field}, "fixed_cost_type": …, "dry_run": false}.
    ``result_file``: a path relative to ``settings.TASK_FILES_DIR`` (empty: no file, or a directory named in
    ``params["output_dir"]``).
    """

    class Kind(models.TextChoices):
        REPORT = "report", "Bericht als PDF"
        RENDER_ALL = "render_all", "Alle Vorlagen eines Jahres"
        IMPORT_ACTUALS = "import_actuals", "Ist-Kosten einlesen"

    class Status(models.TextChoices):
        WAITING = "waiting", "wartet"
        RUNNING = "running", "läuft"
        DONE = "done", "fertig"
        FAILED = "failed", "fehlgeschlagen"

    kind = models.CharField("Art", max_length=20, choices=Kind.choices)
    title = models.CharField("Auftrag", max_length=250)
    county = models.ForeignKey(County, on_delete=models.CASCADE, null=True, blank=True, related_name="task_runs",
                               verbose_name="Kreis")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name="gestartet von")
    params = models.JSONField("Parameter", default=dict, blank=True)
    status = models.CharField("Stand", max_length=10, choices=Status.choices, default=Status.WAITING)
    progress = models.PositiveSmallIntegerField("Fortschritt (%)", default=0)
    message = models.CharField("Meldung", max_length=500, blank=True)
    result_file = models.CharField("Ergebnisdatei", max_length=500, blank=True)
    # The Celery task id, chosen before the task is sent, so a caller can wait for it (AsyncResult).
    celery_id = models.CharField("Celery-ID", max_length=50, blank=True)
    created_at = models.DateTimeField("angelegt am", default=timezone.now)
    started_at = models.DateTimeField("begonnen am", null=True, blank=True)
    finished_at = models.DateTimeField("beendet am", null=True, blank=True)

    class Meta:
        verbose_name = "Hintergrundauftrag"
        verbose_name_plural = "Hintergrundaufträge"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["county", "-created_at"], name="taskrun_county_recent")]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="taskrun_progress_at_most_100"),
        ]

    def __str__(self):
        return f"Auftrag Nr. {self.pk}: {self.title}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def result_path(self) -> Path | None:
        """The result file on disk, or None if there is none (yet)."""
        if not self.result_file:
            return None
        return Path(settings.TASK_FILES_DIR) / self.result_file

    @property
    def result_name(self) -> str:
        return Path(self.result_file).name if self.result_file else ""
