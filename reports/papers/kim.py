"""The KIM committee paper, as Vorlage 002 of the Rhein-Sieg-Kreis (committee of 07.06.2021).

Modules with funded FTE and rates, the allocation of case-management days per
municipality, the own share block by block with its arithmetic, the scenarios
side by side with the risk range, and notes where a paper stated other figures.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.db.models import Q

from budgeting import calculations as calc
from budgeting.models import CoverageSource, Scenario
from budgeting.selectors import own_share_comparison
from kimportal.models import County, Municipality
from kimportal.money import format_fte, format_money, format_number
from levy.presentation import overview_data as levy_data
from levy.selectors import levy_overview
from kimportal.terms import KREIS_TERMS, budget_recovery_note, county_subject, county_unit_terms
from programmes.choices import RateKind, SlotBasis
from programmes.models import FundingRate, GrantedSlot, Module
from staffing.models import DAYS_PER_FTE, CaseManagementAllocation

from reports.dashboard import dashboard, dashboard_charts
from reports.papers.common import (
    cases_data, comparison_data, differences_data, financial_effects, period_data,
)
from reports.registry import PERIOD, SCENARIO, Report, ReportParams, cases_for, german_date, register

SLOT_KINDS = (RateKind.PER_WORKPLACE, RateKind.PER_SLOT)
BASIS_LABELS = {SlotBasis.PER_FTE: "je VZÄ", SlotBasis.PER_SLOT: "je Förderstelle"}


def module_rows(module_codes: set[str], county: County, start: date, end: date) -> list[dict]:
    """Per module its funded slots with the latest grant decision up to the period's end and the rates valid
    at its start; lump sums (events, measures) as rows of their own."""
    modules = list(Module.objects.filter(code__in=module_codes).select_related("programme")
                   .prefetch_related("funded_slots").order_by("programme__name", "position", "code"))
    rates = FundingRate.objects.filter(module__in=modules).valid_on(start).order_by("cost_type", "pk")
    by_slot: dict = {}
    lump_sums: dict = {}
    for rate in rates:
        if rate.kind in SLOT_KINDS and rate.funded_slot_id:
            by_slot.setdefault(rate.funded_slot_id, {}).setdefault(rate.cost_type, rate.amount)
        elif rate.kind == RateKind.LUMP_SUM:
            lump_sums.setdefault(rate.module_id, []).append(
                {"label": rate.get_cost_type_display(), "amount": rate.amount})
    granted = {}
    grants = (GrantedSlot.objects.filter(decision__county=county, decision__period_start__lte=end,
                                         funded_slot__module__in=modules)
              .select_related("decision").order_by("-decision__period_start", "-pk"))
    for grant in grants:
        granted.setdefault(grant.funded_slot_id, grant)
    rows = []
    for module in modules:
        slots = []
        for slot in module.funded_slots.all():
            grant = granted.get(slot.pk)
            slot_rates = by_slot.get(slot.pk, {})
            decision = grant.decision if grant else None
            slots.append({
                "name": slot.name,
                "basis": BASIS_LABELS.get(slot.basis, slot.get_basis_display()),
                "granted": f"{format_fte(grant.count)} × {format_fte(grant.nominal_fte)} VZÄ" if grant else "",
                "granted_fte": grant.total_fte if grant else None,
                "personnel": slot_rates.get("personnel"),
                "material": slot_rates.get("material"),
                "decision": german_date(decision.issued_on or decision.received_on) if decision else "",
            })
        rows.append({"name": module.name, "programme": module.programme.name, "slots": slots,
                     "lump_sums": lump_sums.get(module.pk, [])})
    return rows


def allocation_tables(county: County, start: date, end: date) -> list[dict]:
    """The case-management allocations in force during the period: days per week for every municipality."""
    allocations = (CaseManagementAllocation.objects.filter(county=county, valid_from__lte=end)
                   .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
                   .prefetch_related("shares__handed_over_to").order_by("valid_from", "name"))
    municipalities = list(Municipality.objects.filter(county=county).order_by("name"))
    tables = []
    for allocation in allocations:
        shares = {share.municipality_id: share for share in allocation.shares.all()}
        rows = []
        for municipality in municipalities:
            share = shares.get(municipality.pk)
            days = share.days if share and share.days else None
            notes = []
            if share and share.no_demand:
                notes.append("kein Bedarf")
            if share and share.special_arrangement:
                notes.append(share.special_arrangement)
            if share and share.handed_over_to_id:
                notes.append(f"weitergegeben an {share.handed_over_to.name}")
            rows.append({"municipality": municipality.name, "days": days,
                         "fte": days / DAYS_PER_FTE if days else None, "note": "; ".join(notes)})
        total = sum((row["days"] for row in rows if row["days"]), calc.ZERO)
        tables.append({
            "name": allocation.name,
            "valid": f"{german_date(allocation.valid_from)} – {german_date(allocation.valid_until)}".rstrip(" –"),
            "rows": rows,
            "total_days": total,
            "capacity_fte": allocation.capacity_fte,
            "capacity_days": allocation.capacity_fte * DAYS_PER_FTE,
        })
    return tables


def paper_charts(county: County, comparison: calc.Comparison) -> dict[str, dict[str, str]]:
    """The dashboard's charts for the paper's period, from the same code, so paper and dashboard agree.

    The charts show what the paper's tables show: the own-share chart the blocks of the paper's own comparison
    (positions only, no programme's lump sums such as the Projektmittel), the staffing chart the modules of
    table I.
    """
    base = comparison.results[0]
    board = dashboard(county, base.start, base.end, comparison=comparison)
    modules = {block.module for block in base.blocks}
    board = replace(board, staffing=tuple(row for row in board.staffing if row.module in modules))
    charts = dashboard_charts(board)
    return {name: {"id": chart.id, "title": chart.title, "svg": chart.svg}
            for name, chart in (("staffing", charts.staffing), ("allocation", charts.allocation),
                                ("own_share", charts.own_share))}


# "Erläuterungen" as the paper starts them; {units}: "Kommunen" (a city's "Stadtbezirke"), {subject}: "der Kreis",
# {coverage}: the clause on the county's coverage sources (coverage_clause), "" for a county without any.
EXPLANATIONS = (
    "Die Verwaltung stellt im Folgenden die geförderten Stellen der drei Bausteine, die Verteilung des Case "
    "Managements auf die {units} und die Eigenanteile dar, die {subject} für den Zeitraum zu tragen hätte"
    "{coverage}. Die Berechnungen erfolgen mit den Pauschalen der KGSt „Kosten eines Arbeitsplatzes“.")


def coverage_clause(names: list[str]) -> str:
    """ ", sofern die Verwendungsdauer des Deckungsmittels „Integrationspauschale (§ 14c TIntG)“ nicht verlängert
    wird": the county's own coverage sources, named by their records; "" for a county without any (a paper
    speaks of the Integrationspauschale only where the county has it, issue 11 §5)."""
    if not names:
        return ""
    quoted = [f"„{name}“" for name in names]
    if len(quoted) == 1:
        return f", sofern die Verwendungsdauer des Deckungsmittels {quoted[0]} nicht verlängert wird"
    listed = ", ".join(quoted[:-1]) + f" und {quoted[-1]}"
    return f", sofern die Verwendungsdauer der Deckungsmittel {listed} nicht verlängert wird"


@register
class KimPaper(Report):
    slug = "kim"
    title = "Kommunales Integrationsmanagement (KIM): Stellen, CM-Einsatz und Eigenanteile"
    description = ("Sitzungsvorlage wie Vorlage 002: Bausteine mit geförderten VZÄ und Fördersätzen, CM-Einsatz je "
                   "Kommune bzw. Stadtbezirk, Eigenanteile Block für Block mit Rechnung, Szenarien nebeneinander "
                   "und Risikospanne.")
    parameters = (PERIOD, SCENARIO)
    default_subject = "Kommunales Integrationsmanagement (KIM): Umsetzung, Stellenbesetzung und Finanzierung"
    default_preliminary_remarks = (
        "Seit dem 01.01.2020 führt das Land NRW zur Umsetzung der Teilhabe- und Integrationsstrategie 2030 "
        "flächendeckend das Kommunale Integrationsmanagement (KIM) mit seinen drei Bausteinen ein. Ziel ist die "
        "engere, rechtskreisübergreifende Zusammenarbeit aller örtlichen Behörden im Einwanderungs- und "
        "Integrationsprozess.")
    default_explanations = EXPLANATIONS.format(units=KREIS_TERMS.plural, subject="der Kreis", coverage="")

    def default_texts(self, county: County) -> dict[str, str]:
        """A kreisfreie Stadt's paper speaks of its Stadtbezirke or Dienststellen and of "die Stadt"; a county's
        coverage sources are named by their records, and only where it has any."""
        texts = super().default_texts(county)
        sources = list(CoverageSource.objects.filter(county=county).order_by("usable_until", "name")
                       .values_list("name", flat=True))
        texts["explanations"] = EXPLANATIONS.format(units=county_unit_terms(county).plural,
                                                    subject=county_subject(county.kind),
                                                    coverage=coverage_clause(sources))
        return texts

    def build(self, county: County, params: ReportParams, *, show_names: bool = False) -> dict:
        # The KIM paper computes the blocks of positions, as Vorlage 002 does; other programmes' lump sums are in
        # the Haushalt report (issue 11).
        comparison = own_share_comparison(county, params.start, params.end, cases_for(county, params),
                                          lump_sums=False)
        base = comparison.results[0]
        start, end = base.start, calc.month_end(base.end)
        descriptions = dict(Scenario.objects.filter(county=county).values_list("name", "description"))
        return {
            "period": period_data(base),
            "modules": module_rows({block.module for block in base.blocks}, county, start, end),
            "allocations": allocation_tables(county, start, end),
            "cases": cases_data(comparison, descriptions),
            "comparison": comparison_data(comparison),
            "differences": differences_data(comparison),
            "financial_effects": financial_effects(county, comparison),
            # Beside the unplanned provision: under a Haushaltssicherungskonzept it goes that plan's way (§ 76 GO NRW).
            "budget_recovery_note": budget_recovery_note(county),
            "charts": paper_charts(county, comparison),
            # Anlage: the own share split over the municipalities by the Kreisumlage (as Vorlage 001, Anhang 2).
            "kreisumlage": levy_data(levy_overview(county, comparison, lump_sums=False)),
            "unit_terms": county_unit_terms(county).as_dict(),
        }

    def figures(self, data: dict) -> list[tuple[str, str, str]]:
        figures = []
        for module in data["modules"]:
            for slot in module["slots"]:
                if slot["granted_fte"] is not None:
                    figures.append((f"granted:{module['name']}:{slot['name']}", f"Bewilligt: {slot['name']}",
                                    f"{format_fte(slot['granted_fte'])} VZÄ"))
        for table in data["allocations"]:
            for row in table["rows"]:
                figures.append((f"days:{table['name']}:{row['municipality']}", f"CM-Einsatz {row['municipality']}",
                                f"{format_number(row['days'] or 0, 2)} Tage"))
        for case in data["cases"]:
            suffix = "" if case["is_base"] else f" ({case['name']})"
            for block in case["blocks"]:
                for field, label in calc.FIELD_LABELS.items():
                    figures.append((f"{case['name']}:{block['key']}:{field}", f"{label} {block['label']}{suffix}",
                                    format_money(block[field])))
            figures.append((f"{case['name']}:provision", f"Überplanmäßige Bereitstellung ({case['name']})",
                            format_money(case["unplanned_provision"])))
        figures.append(("risk", "Risikospanne", data["comparison"]["risk_range"]))
        for case in data.get("kreisumlage", {}).get("cases", [])[:1]:  # the base case: what the committee reads
            for row in case["table"]["rows"]:
                figures.append((f"kreisumlage:{row['municipality']}", f"Kreisumlage {row['municipality']}",
                                format_money(row["total"])))
        return figures
