"""The texts KI staff write for a committee paper, and the papers issued to a committee.

A report's figures are never stored here: they come from the engine each time
(reports.registry). What is stored is what a person wrote (ReportSetup) and what
a committee was given (IssuedReport: the data as of that moment and the PDF).
"""
from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from kimportal.concurrency import Versioned
from kimportal.models import County

DEFAULT_COMMITTEE = "Ausschuss für Soziales und Integration"


class PaperKind(models.TextChoices):
    NOTICE = "mitteilung", "Mitteilungsvorlage"
    RESOLUTION = "beschluss", "Beschlussvorlage"


class ReportSetup(Versioned):
    """What a county's KI writes around one report: the paper's header, its texts and the coverage."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="report_setups", verbose_name="Kreis")
    report = models.SlugField("Bericht", max_length=30)
    paper_number = models.CharField("Vorlagen-Nr.", max_length=40, blank=True, help_text="z. B. 50/2021")
    paper_date = models.DateField("Datum der Vorlage", null=True, blank=True,
                                  help_text="Leer: das Datum, an dem die Vorlage erstellt wird.")
    paper_kind = models.CharField("Art der Vorlage", max_length=12, choices=PaperKind.choices,
                                  default=PaperKind.NOTICE)
    committee = models.CharField("Gremium", max_length=200, default=DEFAULT_COMMITTEE)
    meeting_date = models.DateField("Sitzung am", null=True, blank=True)
    subject = models.CharField("Betreff", max_length=300, blank=True, help_text="Leer: der Name des Berichts.")
    preliminary_remarks = models.TextField("Vorbemerkungen", blank=True)
    explanations = models.TextField("Erläuterungen", blank=True)
    coverage_text = models.TextField(
        "Deckung", blank=True,
        help_text="Wie eine überplanmäßige Bereitstellung gedeckt werden soll; steht im Kasten „Finanzielle Auswirkungen“.")
    resolution = models.TextField("Beschlussvorschlag", blank=True,
                                  help_text="Leer: „Der Ausschuss nimmt die Ausführungen zur Kenntnis.“")
    signatory = models.CharField("Unterzeichnung", max_length=200, blank=True, help_text="z. B. (Dezernent Schmitz)")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Vorlagentext"
        verbose_name_plural = "Vorlagentexte"
        ordering = ["county__name", "report"]
        constraints = [models.UniqueConstraint(fields=["county", "report"], name="report_setup_unique_report")]
        permissions = [("view_report", "Berichte ansehen und als PDF herunterladen")]

    def __str__(self):
        return f"Vorlagentexte {self.report} ({self.county})"


class IssuedReport(models.Model):
    """A paper as the committee got it: the data of that moment and the PDF, never changed afterwards."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="issued_reports", verbose_name="Kreis")
    report = models.SlugField("Bericht", max_length=30)
    title = models.CharField("Titel", max_length=300)
    paper_number = models.CharField("Vorlagen-Nr.", max_length=40)
    committee = models.CharField("Gremium", max_length=200)
    meeting_date = models.DateField("Sitzung am", null=True, blank=True)
    params = models.JSONField("Parameter", default=dict)
    snapshot = models.JSONField("Daten zum Zeitpunkt der Ausgabe")
    pdf = models.BinaryField("PDF")
    page_count = models.PositiveSmallIntegerField("Seiten")
    issued_at = models.DateTimeField("ausgegeben am", auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="issued_reports", verbose_name="ausgegeben von")

    class Meta:
        verbose_name = "Ausgegebene Vorlage"
        verbose_name_plural = "Ausgegebene Vorlagen"
        ordering = ["-issued_at", "-pk"]
        # Issued papers are records: nobody edits them; an administrator may delete one issued by mistake.
        default_permissions = ("add", "view", "delete")

    def __str__(self):
        return f"Vorlage {self.paper_number}: {self.title}"
