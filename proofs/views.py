"""Pages of the proofs of use (Verwendungsnachweise): the year's overview, a decision's statement for a year, the
edit forms of the county's proof (status, Sachbericht), of a coverage source's proof and of a recipient's proof.

KI staff and finance officers see and edit them; committee members do not (role permissions, kimportal.roles).
Every object is looked up within the user's county: another county's decision answers 404. The statements are
computed (proofs.selectors), never stored; the records keep what the numbers cannot.
"""
from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.generic import TemplateView, UpdateView
from django_tables2 import SingleTableMixin

from budgeting import calculations as calc
from budgeting.models import CoverageSource
from drawdowns.selectors import decision_label
from kimportal.history import history_entries
from kimportal.pagination import CappedPaginationMixin
from kimportal.views import CountyScopedMixin, OptimisticLockMixin, TableExportMixin
from programmes.models import GrantDecision, PassThrough
from proofs.forms import ProofOfUseForm, RecipientProofForm
from proofs.models import ProofOfUse, RecipientProof, proof_status
from proofs.selectors import DecisionProof, proof_years, source_proofs, year_proofs
from proofs.statement import RecipientProof as RecipientRow
from proofs.tables import YearProofTable

REPORT_SLUG = "verwendungsnachweis"
SAVE_FAILED = "Bitte die markierten Angaben korrigieren; es wurde nichts gespeichert."


def default_year(years: list[int], today: date) -> int | None:
    """The newest of ``years`` (newest first) that has ended, else the newest; None without years."""
    return next((year for year in years if year < today.year), years[0] if years else None)


def is_overdue(deadline: date | None, record, today: date) -> bool:
    """Past its deadline and neither submitted nor checked."""
    done = record is not None and (record.submitted_on or record.checked_on)
    return bool(deadline and deadline < today and not done)


def open_months_text(months: int) -> str:
    """"vorläufig: für 6 Monate liegen noch keine Ist-Kosten vor" (German singular for one month)."""
    return f"vorläufig: für {months} {'Monat' if months == 1 else 'Monate'} liegen noch keine Ist-Kosten vor"


def report_links(year: int) -> dict[str, str] | None:
    """Preview, PDF and XLSX of the report "verwendungsnachweis" for ``year``, or None while there is no such
    report (reports.registry) or no such URL."""
    from reports.registry import ReportError, get_report

    try:
        get_report(REPORT_SLUG)
        query = "?" + urlencode({"fiscal_year": year})
        return {kind: reverse(f"reports:report_{kind}", kwargs={"slug": REPORT_SLUG}) + query
                for kind in ("preview", "pdf", "xlsx")}
    except (ReportError, NoReverseMatch):
        return None


def proof_rows(proofs: list[DecisionProof], today: date) -> list[dict]:
    """The decisions' proofs of one year as rows of YearProofTable (EUR as Decimal)."""
    rows = []
    for proof in proofs:
        made = proof.statement
        rows.append({"pk": proof.decision.pk, "year": proof.year, "decision": proof.label, "kind": proof.kind,
                     "granted": proof.grant.amount, "received": made.received, "grant_due": made.grant_due,
                     "repayment": made.repayment, "still_to_call": made.still_to_call, "status": proof.status,
                     "overdue": is_overdue(proof.deadline, proof.record, today),
                     "basis": open_months_text(made.open_months) if made.provisional else ""})
    return rows


class ProofOverviewView(CountyScopedMixin, TableExportMixin, CappedPaginationMixin, SingleTableMixin, TemplateView):
    """The proofs of use of one fiscal year (``?jahr=2022``): per decision the settlement and the status; below,
    the coverage sources' proofs. Without a year: the newest year that has ended. CSV/XLSX export of the table."""

    permission_required = "proofs.view_proofofuse"
    template_name = "proofs/overview.html"
    table_class = YearProofTable
    table_pagination = {"per_page": 200}
    export_name = "verwendungsnachweise"

    def get(self, request, *args, **kwargs):
        self.today = timezone.localdate()
        self.years = proof_years(self.county)
        self.year, self.year_notice = self._year(request.GET.get("jahr"))
        self.calculation_error = None
        self.proofs = []
        if self.year is not None:
            try:
                self.proofs = year_proofs(self.county, self.year, today=self.today)
            except calc.CalculationError as exc:
                self.calculation_error = str(exc)
        return super().get(request, *args, **kwargs)

    def _year(self, asked: str | None) -> tuple[int | None, str]:
        """The year to show and, where the asked one cannot be shown, why (German)."""
        default = default_year(self.years, self.today)
        if asked in (None, ""):
            return default, ""
        if asked.strip().isdigit() and int(asked) in self.years:
            return int(asked), ""
        shown = f"; angezeigt wird {default}" if default else ""
        if not asked.strip().isdigit():
            return default, f"„{asked}“ ist kein Haushaltsjahr{shown}."
        return default, f"Für {asked} hat Ihr Kreis keine Zuwendungsbescheide{shown}."

    def get_table_data(self):
        return proof_rows(self.proofs, self.today)

    def get_export_filename(self, export_format):
        return f"{self.export_name}-{self.year}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(year=self.year, years=self.years, year_notice=self.year_notice,
                       calculation_error=self.calculation_error,
                       repayment=sum((p.statement.repayment for p in self.proofs), calc.ZERO),
                       sources=[{"proof": row, "overdue": is_overdue(row.deadline, row.record, self.today)}
                                for row in source_proofs(self.county, today=self.today)],
                       report=report_links(self.year) if self.year else None)
        return context


class DecisionYearMixin(CountyScopedMixin):
    """The decision of the URL, within the user's county (else 404), and a year its period touches (else 404)."""

    def load_decision(self):
        decision = get_object_or_404(GrantDecision.objects.filter(county=self.county)
                                     .select_related("programme", "module"), pk=self.kwargs["decision_pk"])
        year = self.kwargs["year"]
        if not decision.period_start.year <= year <= decision.period_end.year:
            raise Http404("Der Bewilligungszeitraum des Bescheids berührt dieses Jahr nicht.")
        return decision, year


class DecisionProofView(DecisionYearMixin, TemplateView):
    """One decision's proof of use for a year: the numerical statement, the settlement, the notes, the
    pass-throughs with the recipients' proofs, the Sachbericht and the status."""

    permission_required = "proofs.view_proofofuse"
    template_name = "proofs/decision.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decision, year = self.load_decision()
        today = timezone.localdate()
        context.update(decision=decision, label=decision_label(decision), year=year,
                       years=list(range(decision.period_start.year, decision.period_end.year + 1)),
                       report=report_links(year))
        try:
            proof = next(p for p in year_proofs(self.county, year, today=today) if p.decision.pk == decision.pk)
        except calc.CalculationError as exc:
            context["calculation_error"] = str(exc)
            return context
        made = proof.statement
        # The statement's recipients follow the decision's pass-throughs one to one (proofs.selectors._recipients).
        recipients = [{"pk": passing.pk, "proof": row, "status": row.status(today),
                       "overdue": bool(row.due_on and row.due_on < today and not row.received_on)}
                      for passing, row in zip(proof.decision.pass_throughs.all(), made.recipients)]
        context.update(proof=proof, statement=made, record=proof.record, recipients=recipients,
                       overdue=is_overdue(proof.deadline, proof.record, today),
                       provisional=open_months_text(made.open_months) if made.provisional else "")
        return context


class ProofEditMixin(OptimisticLockMixin, CountyScopedMixin):
    """Edit a proof record, creating it on the first save (version 0 on the page until then, proofs.forms).

    Subclasses give ``new_record()`` (unsaved, with its owner set), ``find_record()`` (the stored one or None),
    ``back_url()`` and ``heading()``. Editing a proof that does not exist yet creates it, so the views ask for the
    add and the change permission."""

    template_name = "proofs/form.html"

    def get_queryset(self):
        return self.scope(self.model.objects.all())

    def get_object(self, queryset=None):
        return self.find_record() or self.new_record()

    def get_history(self):
        return history_entries(self.object) if self.object.pk else []

    def form_valid(self, form):
        return self.save_or_conflict(form, lambda: self._save(form))

    def _save(self, form):
        self.object = form.save()
        messages.success(self.request, self.saved_text())
        return redirect(self.back_url())

    def saved_text(self) -> str:
        return f"„{self.object}“ wurde gespeichert."

    def form_invalid(self, form):
        messages.error(self.request, SAVE_FAILED)
        return super().form_invalid(form)

    def status_text(self, record) -> str:
        """The stored record's status in German ("eingereicht am 29.03.2023")."""
        return record.status(timezone.localdate())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # As stored: a refused form has already written its input into self.object.
        stored = self.find_record() or self.new_record()
        context.update(history=self.get_history(), back_url=self.back_url(), heading=self.heading(),
                       status=self.status_text(stored))
        return context


class DecisionProofEditView(ProofEditMixin, DecisionYearMixin, UpdateView):
    """Status and Sachbericht of a decision's proof of use for a year (created on the first save)."""

    permission_required = ("proofs.add_proofofuse", "proofs.change_proofofuse")
    model = ProofOfUse
    form_class = ProofOfUseForm

    @property
    def decision_year(self) -> tuple[GrantDecision, int]:
        if not hasattr(self, "_decision_year"):
            self._decision_year = self.load_decision()
        return self._decision_year

    def find_record(self):
        decision, year = self.decision_year
        return self.get_queryset().filter(decision=decision, fiscal_year=year).first()

    def new_record(self):
        decision, year = self.decision_year
        return ProofOfUse(county=self.county, decision=decision, fiscal_year=year)

    def back_url(self):
        decision, year = self.decision_year
        return reverse("proofs:decision", kwargs={"decision_pk": decision.pk, "year": year})

    def heading(self):
        decision, year = self.decision_year
        kind = "Verwendungsnachweis" if year == decision.period_end.year else "Zwischennachweis"
        return f"{kind} {year}: {decision_label(decision)}"


class SourceMixin(CountyScopedMixin):
    """The coverage source of the URL, within the user's county (else 404)."""

    def load_source(self):
        if not hasattr(self, "_source"):
            self._source = get_object_or_404(CoverageSource.objects.filter(county=self.county),
                                             pk=self.kwargs["source_pk"])
        return self._source


class SourceProofView(SourceMixin, TemplateView):
    """A coverage source's proof of use (the Integrationspauschale's was due 31.03.2023): status, dates, text."""

    permission_required = "proofs.view_proofofuse"
    template_name = "proofs/source.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        source = self.load_source()
        record = ProofOfUse.objects.filter(county=self.county, coverage_source=source).first()
        today = timezone.localdate()
        deadline = record.deadline if record else source.proof_of_use_due
        context.update(source=source, record=record, deadline=deadline, overdue=is_overdue(deadline, record, today),
                       status=proof_status(deadline, record.submitted_on if record else None,
                                           record.checked_on if record else None, today),
                       history=history_entries(record) if record else [])
        return context


class SourceProofEditView(ProofEditMixin, SourceMixin, UpdateView):
    """Status and text of a coverage source's proof of use (created on the first save)."""

    permission_required = ("proofs.add_proofofuse", "proofs.change_proofofuse")
    model = ProofOfUse
    form_class = ProofOfUseForm

    def find_record(self):
        return self.get_queryset().filter(coverage_source=self.load_source()).first()

    def new_record(self):
        return ProofOfUse(county=self.county, coverage_source=self.load_source())

    def back_url(self):
        return reverse("proofs:source", kwargs={"source_pk": self.load_source().pk})

    def heading(self):
        return f"Verwendungsnachweis {self.load_source().name}"

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["due_on"].help_text = ("Leer: die Frist, die bei den Deckungsmitteln steht "
                                           "(„Verwendungsnachweis fällig“).")
        return form


class RecipientProofEditView(ProofEditMixin, UpdateView):
    """A pass-through recipient's own proof: received, checked, the amount used (created on the first save).
    ``?jahr=`` names the year's statement to return to (default: the decision's last year)."""

    permission_required = ("proofs.add_recipientproof", "proofs.change_recipientproof")
    model = RecipientProof
    form_class = RecipientProofForm
    county_field = "pass_through__decision__county"

    def load_pass_through(self) -> PassThrough:
        if not hasattr(self, "_pass_through"):
            self._pass_through = get_object_or_404(
                PassThrough.objects.filter(decision__county=self.county).select_related(
                    "recipient", "parent__recipient", "decision__programme", "decision__module"),
                pk=self.kwargs["pass_through_pk"])
        return self._pass_through

    def find_record(self):
        return self.get_queryset().filter(pass_through=self.load_pass_through()).first()

    def new_record(self):
        return RecipientProof(pass_through=self.load_pass_through())

    def return_year(self) -> int:
        decision = self.load_pass_through().decision
        asked = self.request.GET.get("jahr", "")
        years = range(decision.period_start.year, decision.period_end.year + 1)
        return int(asked) if asked.isdigit() and int(asked) in years else decision.period_end.year

    def back_url(self):
        return reverse("proofs:decision", kwargs={"decision_pk": self.load_pass_through().decision_id,
                                                  "year": self.return_year()})

    def heading(self):
        passing = self.load_pass_through()
        return f"Verwendungsnachweis {passing.recipient.name}: {decision_label(passing.decision)}"

    def status_text(self, record) -> str:
        """As the statement words it: "eingegangen am …", "ausstehend, überfällig seit …"."""
        passing = self.load_pass_through()
        row = RecipientRow(passing.recipient.name, passing.amount, passing.purpose, passing.proof_of_use_due,
                           record.received_on, record.checked_on, record.used)
        return row.status(timezone.localdate())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pass_through"] = self.load_pass_through()
        return context
