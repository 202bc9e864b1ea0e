"""The programme budget overview: the attachment "Zusammenstellung der geplanten Beträge" of Vorlage 000
(Haushalt KI 2021/2022, Ausschuss für Soziales und Integration 04.03.2021).

Per fiscal year of the period and per programme (and module), the Land's grants
for personnel and for material, the part passed through to third parties, the
county's own funds and the total:

- Land grants come from the grant decisions that cover the year. A decision
  with granted slots is split by cost type (programmes.choices.CostType) with
  the funding rates valid in each month: personnel rates are "Personalkosten";
  material, events and measures are "Sachkosten". The papers' rounding applies
  (an annual rate for n months is rounded to whole euros, then multiplied by
  the FTE or the number of slots and rounded again). A decision that only
  states an amount is counted with that amount, not split; one that states
  neither is shown as "Betrag laut Bescheid nicht erfasst" and counted nowhere:
  no figure is invented.
- Own funds: for modules with positions, the own share the engine computes for
  the year (budgeting.selectors.calculation_input and budgeting.calculations, as
  the staffing plan does); for the county's own programmes, the appropriations
  of their budget lines (a budget line whose code is the programme's or the
  module's code). Appropriations of other budget lines no position draws on are
  listed as further own funds.
- Pass-through: the decisions' first-level pass-throughs (what the county hands on; a first recipient's
  onward pass-through is part of it), for the months of the year.
- Total: Land grants plus own funds (pass-through is part of the Land grants).
- Figures stated in Vorlage 000 for all programmes (budgeting.StatedFigure with block "*": the Land's personnel
  and material grants of a fiscal year) are set against the year's sums, with the difference.

A decision or appropriation that covers only part of the year's months counts
with its share of months.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q

from budgeting import calculations as calc
from budgeting.models import Appropriation, StatedFigure
from budgeting.selectors import calculation_input, default_period, own_share_comparison, workplace_costs
from kimportal.models import County
from kimportal.money import format_fte, format_money, format_number, round_euro
from programmes.choices import CostType, RateKind
from programmes.models import Application, FundingRate, GrantDecision, GrantedSlot, Module, PassThrough, Programme
from staffing.models import Position

from reports.papers.common import decision_date_text, financial_effects
from reports.registry import PERIOD, Report, ReportParams, german_date, register

ZERO = calc.ZERO
PERSONNEL = "personnel"
MATERIAL = "material"
BUCKET = {CostType.PERSONNEL: PERSONNEL, CostType.MATERIAL: MATERIAL, CostType.EVENTS: MATERIAL,
          CostType.MEASURES: MATERIAL}
SLOT_RATE_KINDS = (RateKind.PER_WORKPLACE, RateKind.PER_SLOT, RateKind.FIXED_CAPPED)
NOT_RECORDED = "Betrag laut Bescheid nicht erfasst"
COLUMNS = ("personnel", "material", "pass_through", "own_share", "total")


# --------------------------------------------------------------------------- months


def overlap(start: date, end: date, first: date, last: date) -> list[date]:
    """The months (first days) that the day range start..end shares with first..last; [] if none."""
    begin, finish = max(start, first), min(end, last)
    return calc.months_between(begin, finish) if begin <= finish else []


def running(programmes, first: date, last: date):
    """The programmes that run at some time between first and last (no start or end: open)."""
    return (programmes.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=last))
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first)))


def rate_months(rate: FundingRate, months: list[date]) -> int:
    return sum(1 for month in months if rate.valid_from <= month and (rate.valid_until is None
                                                                       or rate.valid_until >= month))


def share_of(amount: Decimal, part: int, whole: int) -> Decimal:
    return amount if part == whole else round_euro(amount * part / whole)


def months_text(n: int) -> str:
    return "" if n == 12 else f" × {n}/12"


# --------------------------------------------------------------------------- grant decisions


@dataclass
class DecisionShare:
    """One grant decision's part in one fiscal year."""

    decision: GrantDecision
    months: int
    personnel: Decimal | None = None
    material: Decimal | None = None
    amount: Decimal | None = None  # stated amount only, not split by cost type
    pass_through: Decimal = ZERO
    pass_through_missing: list[str] = field(default_factory=list)
    pass_through_parts: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def recorded(self) -> bool:
        return self.personnel is not None or self.amount is not None

    @property
    def grant(self) -> Decimal:
        if self.amount is not None:
            return self.amount
        return (self.personnel or ZERO) + (self.material or ZERO)


def decision_share(decision: GrantDecision, first: date, last: date, rates: dict, lump_sums: dict) -> DecisionShare:
    """The Land grant of one decision for the months first..last: split by cost type from its granted slots and
    the module's lump sums, else its stated amount pro rata, else nothing (not recorded)."""
    months = overlap(decision.period_start, decision.period_end, first, last)
    share = DecisionShare(decision, len(months))
    buckets = {PERSONNEL: ZERO, MATERIAL: ZERO}
    computed = False
    for granted in decision.slots.all():
        for rate in rates.get(granted.funded_slot_id, []):
            n = rate_months(rate, months)
            if not n:
                continue
            computed = True
            if rate.kind == RateKind.FIXED_CAPPED:
                annual = min(rate.amount, rate.cap) if rate.cap is not None else rate.amount
                amount = calc.period_amount(annual, n)
                text = f"Festbetrag {format_money(annual)}{months_text(n)}"
            elif rate.kind == RateKind.PER_SLOT:
                unit = calc.period_amount(rate.amount, n)
                amount = round_euro(granted.count * unit)
                slots = format_number(granted.count, 0) if granted.count == granted.count.to_integral_value() \
                    else format_fte(granted.count)
                text = f"{slots} Förderstelle{'' if granted.count == 1 else 'n'} × {format_money(rate.amount)}" \
                       f"{months_text(n)}"
            else:
                units = granted.count * granted.nominal_fte
                unit = calc.period_amount(rate.amount, n)
                amount = round_euro(units * unit)
                text = f"{format_fte(units)} VZÄ × {format_money(rate.amount)}{months_text(n)}"
            bucket = BUCKET.get(rate.cost_type, MATERIAL)
            buckets[bucket] += amount
            share.parts.append(f"{rate.get_cost_type_display()} {granted.funded_slot.name}: {text} = "
                               f"{format_money(amount)}")
    # A decision for the whole programme (no module) gets the lump sums of all its modules (KI-Grundförderung with
    # its Sprachmittlerpool).
    for rate in lump_sums.get(decision.module_id if decision.module_id else ("programme", decision.programme_id), []):
        n = rate_months(rate, months)
        if not n:
            continue
        computed = True
        amount = calc.period_amount(rate.amount, n)
        buckets[BUCKET.get(rate.cost_type, MATERIAL)] += amount
        share.parts.append(f"{rate.get_cost_type_display()}: Jahrespauschale {format_money(rate.amount)}"
                           f"{months_text(n)} = {format_money(amount)}")
    whole = len(calc.months_between(decision.period_start, decision.period_end))
    if computed:
        share.personnel, share.material = buckets[PERSONNEL], buckets[MATERIAL]
        if decision.amount is not None:
            share.parts.append(f"Betrag laut Bescheid {format_money(decision.amount)} für "
                               f"{german_date(decision.period_start)} – {german_date(decision.period_end)}")
    elif decision.amount is not None:
        share.amount = share_of(decision.amount, len(months), whole)
        text = f"Betrag laut Bescheid {format_money(decision.amount)}"
        if len(months) != whole:
            text += f" × {len(months)}/{whole} Monate = {format_money(share.amount)}"
        share.parts.append(text + "; Aufteilung auf Personal- und Sachkosten nicht erfasst")
    for passing in decision.pass_throughs.all():
        if passing.amount is None:
            share.pass_through_missing.append(passing.recipient.name)
            continue
        amount = share_of(passing.amount, len(months), whole)
        share.pass_through += amount
        # The second level is the first recipient's business, not the county's budget: named, not added.
        onward = [f"an {row.recipient.name} {format_money(share_of(row.amount, len(months), whole))}"
                  if row.amount is not None else f"an {row.recipient.name} (Betrag nicht erfasst)"
                  for row in passing.onward.all()]
        share.pass_through_parts.append(
            f"Weiterleitung an {passing.recipient.name} {format_money(amount)}"
            + (f" (leitet davon weiter {', '.join(onward)})" if onward else ""))
    return share


def decision_label(decision: GrantDecision) -> str:
    return f"{decision_date_text(decision)}, Bewilligungszeitraum {german_date(decision.period_start)} – {german_date(decision.period_end)}"


# --------------------------------------------------------------------------- rows


def empty_row(label: str, kind: str) -> dict:
    return {"label": label, "kind": kind, "details": [], "personnel": None, "material": None, "grant_amount": None,
            "grant_status": "none", "grant_text": "", "pass_through": None, "pass_through_text": "", "note": None,
            "own_share": None, "own_share_text": "", "total": None, "incomplete": False}


def land_row(label: str, shares: list[DecisionShare], own_share: Decimal | None, own_detail: str,
             year_label: str) -> dict:
    row = empty_row(label, "land")
    for share in shares:
        row["details"].append(decision_label(share.decision) + (f" ({share.months} Monate im Haushaltsjahr)"
                                                               if share.months != 12 else ""))
        row["details"].extend(share.parts)
        row["details"].extend(share.pass_through_parts)
    recorded = [share for share in shares if share.recorded]
    split = [share for share in recorded if share.amount is None]
    if not shares:
        row["grant_status"], row["grant_text"] = "none", f"kein Bescheid für {year_label} erfasst"
    elif not recorded:
        row["grant_status"], row["grant_text"] = "missing", NOT_RECORDED
    elif len(split) == len(recorded):
        row["grant_status"] = "split"
        row["personnel"] = sum((share.personnel for share in split), ZERO)
        row["material"] = sum((share.material for share in split), ZERO)
    else:
        row["grant_status"] = "unsplit"
        row["grant_amount"] = sum((share.grant for share in recorded), ZERO)
        row["grant_text"] = "Aufteilung nicht erfasst"
    if shares and len(recorded) < len(shares):
        row["incomplete"] = True
        if recorded:
            row["details"].append(f"Weitere Bescheide: {NOT_RECORDED}")
    missing_pass = [name for share in shares for name in share.pass_through_missing]
    if any(share.pass_through_parts for share in shares):
        row["pass_through"] = sum((share.pass_through for share in shares), ZERO)
    if missing_pass:
        row["pass_through_text"] = "nicht erfasst"
        row["incomplete"] = True
        row["details"].append("Weiterleitung an " + ", ".join(sorted(set(missing_pass))) + ": Betrag nicht erfasst")
    if own_share is not None:
        row["own_share"] = own_share
        if own_detail:
            row["details"].append(own_detail)
    if row["grant_status"] in ("split", "unsplit") or row["own_share"] is not None:
        row["total"] = grant_of(row) + (row["own_share"] or ZERO)
    return row


def grant_of(row: dict) -> Decimal:
    if row["grant_status"] == "split":
        return row["personnel"] + row["material"]
    if row["grant_status"] == "unsplit":
        return row["grant_amount"]
    return ZERO


def sum_rows(rows: list[dict]) -> dict:
    total = {key: ZERO for key in COLUMNS}
    total["unsplit"] = ZERO
    for row in rows:
        for key in ("personnel", "material", "pass_through", "own_share"):
            total[key] += row[key] or ZERO
        total["unsplit"] += row["grant_amount"] or ZERO
        total["total"] += row["total"] or ZERO
    total["unsplit"] = total["unsplit"] or None
    total["incomplete"] = any(row["incomplete"] or row["grant_status"] in ("none", "missing") and row["kind"] == "land"
                              for row in rows)
    return total


# --------------------------------------------------------------------------- the report


@register
class BudgetOverview(Report):
    slug = "haushalt"
    title = "Zusammenstellung der geplanten Beträge der Förderprogramme"
    description = ("Anlage wie zu Vorlage 000: je Haushaltsjahr und Förderprogramm die Landeszuschüsse zu Personal- "
                   "und Sachkosten, die Weiterleitung an Dritte, die Eigenmittel des Kreises und die Summen.")
    parameters = (PERIOD,)
    default_subject = "Haushalt des KI: Förderprogramme und Eigenmittel"
    default_preliminary_remarks = (
        "Das Land unterstützt den Betrieb des Kommunalen Integrationszentrums mit Landeszuschüssen zu Personalkosten "
        "und zweckgebundenen Sachmittelausgaben sowie über Förderprogramme. Ein Teil der Zuwendungen wird an Dritte "
        "weitergeleitet.")
    default_explanations = (
        "Die Zusammenstellung zeigt je Haushaltsjahr und Förderprogramm die Landeszuschüsse nach den "
        "Zuwendungsbescheiden, aufgeteilt in Personal- und Sachkosten, den an Dritte weitergeleiteten Anteil, die "
        "Eigenmittel des Kreises und die Summen. Die Förderungen enden grundsätzlich mit dem Bewilligungszeitraum, "
        "sofern das Land die Programme nicht fortführt. Beträge, die in den Bescheiden nicht erfasst sind, werden "
        "als solche ausgewiesen und nicht geschätzt.")

    def default_params(self, county: County) -> ReportParams:
        """Whole fiscal years: those of the county's own-share period (the committee papers' 2021/2022)."""
        start, end = default_period(county)
        return ReportParams(start=date(start.year, 1, 1), end=date(end.year, 12, 1))

    def build(self, county: County, params: ReportParams, *, show_names: bool = False) -> dict:
        start, end = params.start, params.period_end
        costs = workplace_costs()
        rates, lump_sums = self._rates()
        decisions = list(
            GrantDecision.objects.filter(county=county, period_start__lte=end, period_end__gte=start)
            .select_related("programme", "module")
            .prefetch_related(Prefetch("slots", queryset=GrantedSlot.objects.select_related("funded_slot")
                                       .order_by("pk")),
                              Prefetch("pass_throughs", queryset=PassThrough.objects.filter(parent__isnull=True)
                                       .select_related("recipient").order_by("recipient__name", "pk")
                                       .prefetch_related(Prefetch("onward", queryset=PassThrough.objects
                                                                  .select_related("recipient")
                                                                  .order_by("recipient__name", "pk")))))
            .order_by("period_start", "pk"))
        applied = set(Application.objects.filter(county=county).values_list("programme_id", flat=True))
        used_lines = set(Position.objects.filter(county=county, own_share_budget_line__isnull=False)
                         .values_list("own_share_budget_line__code", flat=True))
        years = []
        for year in range(start.year, end.year + 1):
            first, last = max(start, date(year, 1, 1)), min(end, date(year, 12, 31))
            years.append(self._year(county, year, first, last, decisions, applied, used_lines, rates, lump_sums,
                                    costs))
        comparison = own_share_comparison(county, params.start, params.end, [None])
        shown = {group["code"] for year in years for group in year["groups"]}
        not_shown = list(running(Programme.objects.filter(county__isnull=True).exclude(code__in=shown), start, end)
                         .order_by("name").values_list("name", flat=True))
        return {
            "period": f"{german_date(start)} – {german_date(end)}",
            "years": years,
            "summary": self._summary(years),
            "not_shown": not_shown,
            "financial_effects": financial_effects(county, comparison),
        }

    # ----------------------------------------------------------------------- one fiscal year

    def _year(self, county, year, first, last, decisions, applied, used_lines, rates, lump_sums, costs) -> dict:
        partial = (first, last) != (date(year, 1, 1), date(year, 12, 31))
        n_months = len(calc.months_between(first, last))
        year_label = str(year)
        result = calc.calculate(calculation_input(county, first, last, costs=costs))
        own_by_module: dict[str, list[calc.BlockResult]] = {}
        for block in result.blocks:
            # Blocks without positions are the decisions' grants and own programmes' appropriations this overview
            # reads from the decisions and appropriations themselves.
            if not block.lump_sum:
                own_by_module.setdefault(block.module, []).append(block)
        in_year = [d for d in decisions if d.period_start <= last and d.period_end >= first]
        shares = {d.pk: decision_share(d, first, last, rates, lump_sums) for d in in_year}

        modules = {module.code: module for module in Module.objects.filter(code__in=own_by_module)
                   .select_related("programme")}
        programmes: dict[int, Programme] = {}
        for decision in in_year:
            programmes[decision.programme_id] = decision.programme
        for module in modules.values():
            programmes[module.programme_id] = module.programme
        for programme in running(Programme.objects.filter(pk__in=applied, county__isnull=True), first, last):
            programmes.setdefault(programme.pk, programme)
        own_programmes = list(running(Programme.objects.filter(county=county), first, last)
                              .prefetch_related("modules"))
        appropriations = {a.budget_line.code: a for a in Appropriation.objects.filter(
            budget_line__county=county, fiscal_year=year).select_related("budget_line")}

        groups = []
        land = sorted((p for p in programmes.values() if p.county_id is None), key=lambda p: p.name.casefold())
        for programme in land:
            rows = []
            programme_decisions = [d for d in in_year if d.programme_id == programme.pk]
            keys = []  # modules in their order, None for decisions about the whole programme
            module_objects = {}
            for decision in programme_decisions:
                key = decision.module.code if decision.module_id else None
                if key not in keys:
                    keys.append(key)
                if decision.module_id:
                    module_objects[key] = decision.module
            for code, module in modules.items():
                if module.programme_id == programme.pk and code not in keys:
                    keys.append(code)
                    module_objects[code] = module
            keys.sort(key=lambda k: (k is not None, module_objects[k].position if k else 0, k or ""))
            if not keys:
                keys = [None]
            for key in keys:
                module_shares = [shares[d.pk] for d in programme_decisions
                                 if (d.module.code if d.module_id else None) == key]
                blocks = own_by_module.get(key, []) if key else []
                own, own_detail = self._own_share(blocks)
                label = module_objects[key].name if key else programme.name
                rows.append(land_row(label, module_shares, own, own_detail, year_label))
            groups.append(self._group(programme, "Landesprogramm", rows))

        for programme in own_programmes:
            rows = []
            lines = [(programme.code, programme.name)] + [(m.code, m.name) for m in programme.modules.all()
                                                          if m.code != programme.code]
            for code, name in lines:
                appropriation = appropriations.get(code)
                if appropriation is None:
                    continue
                rows.append(self._appropriation_row(name, appropriation, n_months))
            if not rows:
                row = empty_row(programme.name, "own")
                row["own_share_text"] = f"kein Haushaltsansatz {year} erfasst"
                row["incomplete"] = True
                rows.append(row)
            groups.append(self._group(programme, "Eigene Mittel des Kreises", rows))

        own_codes = {programme.code for programme in own_programmes} | {
            module.code for programme in own_programmes for module in programme.modules.all()}
        further = [a for code, a in sorted(appropriations.items()) if code not in own_codes and code not in used_lines]
        if further:
            rows = [self._appropriation_row(a.budget_line.name, a, n_months) for a in further]
            groups.append({"code": "", "name": "Weitere Haushaltsansätze", "kind": "Eigene Mittel des Kreises",
                           "rows": rows, "total": sum_rows(rows), "single": False})

        all_rows = [row for group in groups for row in group["rows"]]
        notes = []
        for group in groups:
            for row in group["rows"]:
                if row["details"]:
                    notes.append({"number": len(notes) + 1, "label": group["name"] if row["label"] == group["name"]
                                  else f"{group['name']}, {row['label']}", "details": row["details"]})
                    row["note"] = len(notes)
        missing = [f"{group['name']}" + (f" ({row['label']})" if row["label"] != group["name"] else "")
                   for group in groups for row in group["rows"]
                   if row["kind"] == "land" and row["grant_status"] == "missing"]
        no_decision = [f"{group['name']}" + (f" ({row['label']})" if row["label"] != group["name"] else "")
                       for group in groups for row in group["rows"]
                       if row["kind"] == "land" and row["grant_status"] == "none"]
        total = sum_rows(all_rows)
        return {
            "year": year_label,
            "partial": partial,
            "window": f"{german_date(first)} – {german_date(last)}",
            "months": n_months,
            "groups": groups,
            "total": total,
            "stated": self._stated(county, first, last, total),
            "missing": missing,
            "no_decision": no_decision,
            "notes": notes,
        }

    @staticmethod
    def _stated(county: County, first: date, last: date, total: dict) -> list[dict]:
        """Vorlage 000's Land totals for the year (stated figures for all programmes, block "*") against this
        overview's sums: personnel with personnel, material with material and the stated amounts not split."""
        computed = {"grant_personnel": total["personnel"],
                    "grant_material": total["material"] + (total["unsplit"] or ZERO)}
        rows = []
        for figure in StatedFigure.objects.filter(county=county, scenario__isnull=True, block_key=calc.ALL_BLOCKS,
                                                  period_start=first, period_end=last,
                                                  field__in=computed).order_by("field"):
            value = computed[figure.field]
            difference = figure.amount - value
            rows.append({"label": calc.STATED_FIELD_LABELS[figure.field], "stated": figure.amount,
                         "computed": value, "difference": difference, "source": figure.source,
                         "difference_text": ("+" if difference > 0 else "") + format_money(difference)})
        return rows

    @staticmethod
    def _group(programme: Programme, kind: str, rows: list[dict]) -> dict:
        single = len(rows) == 1 and rows[0]["label"] == programme.name
        return {"code": programme.code, "name": programme.name, "kind": kind, "rows": rows,
                "total": sum_rows(rows), "single": single}

    @staticmethod
    def _own_share(blocks: list[calc.BlockResult]) -> tuple[Decimal | None, str]:
        """The county's own share of the module's positions in the year, from the engine."""
        if not blocks:
            return None, ""
        own = sum((block.own_share for block in blocks), ZERO)
        fte = sum((block.fte for block in blocks), ZERO)
        text = f"Eigenanteil der Stellen ({format_fte(fte)} VZÄ) nach der Eigenanteilsberechnung"
        borne = [block for block in blocks if block.borne_by]
        if borne:
            employers: dict[str, Decimal] = {}
            shares: dict[str, Decimal] = {}
            for block in borne:
                employers[block.borne_by] = employers.get(block.borne_by, ZERO) + block.fte
                for party, amount in block.parties.items():  # municipalities sharing by agreement
                    if party != block.borne_by:
                        shares[party] = shares.get(party, ZERO) + amount
            text += "; den Eigenanteil von " + ", ".join(
                f"{format_fte(fte)} VZÄ trägt {employer}" for employer, fte in employers.items())
            if shares:
                text += " (nach Vereinbarung davon " + ", ".join(
                    f"{party} {format_money(amount)}" for party, amount in shares.items()) + ")"
        planned = [block for block in blocks if block.budget_line]
        if planned:
            text += "; davon Eigenanteil auf Haushaltsstelle " + ", ".join(
                sorted({block.budget_line for block in planned})) + ": " + format_money(
                sum((block.own_share for block in planned), ZERO))
        return own, text

    @staticmethod
    def _appropriation_row(label: str, appropriation: Appropriation, n_months: int) -> dict:
        row = empty_row(label, "own")
        row["grant_status"] = "own"
        amount = share_of(appropriation.amount, n_months, 12)
        row["own_share"] = amount
        detail = f"Haushaltsansatz {appropriation.fiscal_year} ({appropriation.budget_line.code}) " \
                 f"{format_money(appropriation.amount)}"
        if n_months != 12:
            detail += f" × {n_months}/12 = {format_money(amount)}"
        row["details"].append(detail)
        row["total"] = amount
        return row

    @staticmethod
    def _rates() -> tuple[dict, dict]:
        """Funding rates per funded slot, and the lump sums per module and per ("programme", id), with validity."""
        by_slot: dict = {}
        lump_sums: dict = {}
        for rate in FundingRate.objects.select_related("module").order_by("valid_from", "pk"):
            if rate.kind in SLOT_RATE_KINDS and rate.funded_slot_id:
                by_slot.setdefault(rate.funded_slot_id, []).append(rate)
            elif rate.kind == RateKind.LUMP_SUM and not rate.funded_slot_id:
                lump_sums.setdefault(rate.module_id, []).append(rate)
                lump_sums.setdefault(("programme", rate.module.programme_id), []).append(rate)
        return by_slot, lump_sums

    @staticmethod
    def _summary(years: list[dict]) -> dict:
        rows = [{"year": year["year"], **{key: year["total"][key] for key in (*COLUMNS, "unsplit", "incomplete")}}
                for year in years]
        total = {key: sum((row[key] or ZERO for row in rows), ZERO) for key in (*COLUMNS, "unsplit")}
        total["unsplit"] = total["unsplit"] or None
        total["incomplete"] = any(row["incomplete"] for row in rows)
        return {"rows": rows, "total": total}

    def figures(self, data: dict) -> list[tuple[str, str, str]]:
        def value(row, key):
            if key in ("personnel", "material") and row["grant_status"] != "split":
                return row["grant_text"] or (format_money(row["grant_amount"]) if row["grant_amount"] is not None
                                             else "—")
            if row[key] is None:
                return row.get(f"{key}_text") or "—"
            return format_money(row[key])

        labels = {"personnel": "Landeszuschuss Personalkosten", "material": "Landeszuschuss Sachkosten",
                  "pass_through": "Weiterleitung an Dritte", "own_share": "Eigenanteil", "total": "Gesamt"}
        figures = []
        for year in data["years"]:
            for group in year["groups"]:
                for row in group["rows"]:
                    name = group["name"] if row["label"] == group["name"] else f"{group['name']}, {row['label']}"
                    for key, label in labels.items():
                        figures.append((f"{year['year']}:{group['code']}:{row['label']}:{key}",
                                        f"{label} {name} {year['year']}", value(row, key)))
            figures.append((f"{year['year']}:total", f"Summe {year['year']}", format_money(year["total"]["total"])))
        return figures

