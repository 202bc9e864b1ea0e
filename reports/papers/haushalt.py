"""The programme budget overview: the attachment "Zusammenstellung der geplanten Beträge" of Vorlage 000
(Haushalt KI 2021/2022, Ausschuss für Soziales und Integration 04.03.2021).

Per fiscal year of the period and per programme (and module), the Land's grants for personnel and for material,
the part passed through to third parties, the county's own funds and the total. Every amount is the own-share
engine's for that fiscal year (budgeting.selectors.calculation_input with every programme's blocks, and
budgeting.calculations), the same figures ``own_share --from <year>-01 --to <year>-12`` prints:

- Land grants: the grant of each module's blocks (positions, Jahrespauschalen beside them, blocks without
  positions), split by cost type; see reports.papers.haushalt_rows. A funded slot gets grant only for the months a
  position fills it (DOMAIN.md "Vacancies cost grant"), so a decision's granted slots are not its grant.
- Own funds: the own share of the positions; for the county's own programmes, the appropriations of their budget
  lines (a budget line whose code is the programme's or the module's code), as the engine's own-funds blocks
  count them. Appropriations of other budget lines no position draws on are listed as further own funds.
- Pass-through: the decisions' first-level pass-throughs for the months of the year (part of the Land grants).
- Total: Land grants plus own funds.
- Figures stated in Vorlage 000 for all programmes (budgeting.StatedFigure with block "*": the Land's personnel
  and material grants of a fiscal year) are the engine's differences, with its explanation
  (budgeting.calculations.stated_explanation).
"""
from __future__ import annotations

from datetime import date

from django.db.models import Prefetch

from budgeting import calculations as calc
from budgeting.models import Appropriation
from budgeting.selectors import calculation_input, default_period, own_share_comparison, workplace_costs
from kimportal.models import County
from kimportal.money import format_money
from programmes.models import Application, GrantDecision, Module, PassThrough, Programme
from staffing.models import Position

from reports.papers.common import financial_effects
from reports.papers.haushalt_rows import (
    COLUMNS, GRANT_COLUMNS, appropriation_row, column_sums, empty_row, figure_cells, land_row, running, stated_rows,
    sum_rows,
)
from reports.registry import PERIOD, Report, ReportParams, german_date, register


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
        decisions = list(
            GrantDecision.objects.filter(county=county, period_start__lte=end, period_end__gte=start)
            .select_related("programme", "module")
            .prefetch_related(Prefetch("pass_throughs", queryset=PassThrough.objects.filter(parent__isnull=True)
                                       .select_related("recipient").order_by("recipient__name", "pk")
                                       .prefetch_related(Prefetch("onward", queryset=PassThrough.objects
                                                                  .select_related("recipient")
                                                                  .order_by("recipient__name", "pk")))))
            .order_by("period_start", "pk"))
        applied = set(Application.objects.filter(county=county).values_list("programme_id", flat=True))
        used_lines = set(Position.objects.filter(county=county, own_share_budget_line__isnull=False)
                         .values_list("own_share_budget_line__code", flat=True))
        years, loaded = [], {}
        for year in range(start.year, end.year + 1):
            first, last = max(start, date(year, 1, 1)), min(end, date(year, 12, 31))
            years.append(self._year(county, year, first, last, decisions, applied, used_lines, costs, loaded))
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

    def _year(self, county, year, first, last, decisions, applied, used_lines, costs, loaded) -> dict:
        partial = (first, last) != (date(year, 1, 1), date(year, 12, 31))
        n_months = len(calc.months_between(first, last))
        year_label = str(year)
        # The engine's result for the year: every programme's blocks, as own_share computes them.
        result = calc.calculate(calculation_input(county, first, last, costs=costs, loaded=loaded))
        in_year = [d for d in decisions if d.period_start <= last and d.period_end >= first]
        own_programmes = list(running(Programme.objects.filter(county=county), first, last)
                              .prefetch_related("modules"))
        own_codes = {programme.code for programme in own_programmes} | {
            module.code for programme in own_programmes for module in programme.modules.all()}
        land_blocks = [block for block in result.blocks if block.programme not in own_codes]
        modules = {module.code: module for module in Module.objects.filter(
            code__in={block.module for block in land_blocks}).select_related("programme")}
        programmes: dict[int, Programme] = {}
        for decision in in_year:
            programmes[decision.programme_id] = decision.programme
        for module in modules.values():
            programmes[module.programme_id] = module.programme
        for programme in running(Programme.objects.filter(pk__in=applied, county__isnull=True), first, last):
            programmes.setdefault(programme.pk, programme)
        appropriations = {a.budget_line.code: a for a in Appropriation.objects.filter(
            budget_line__county=county, fiscal_year=year).select_related("budget_line")}

        groups = []
        land = sorted((p for p in programmes.values() if p.county_id is None), key=lambda p: p.name.casefold())
        for programme in land:
            groups.append(self._group(programme, "Landesprogramm", self._land_rows(
                programme, in_year, modules, land_blocks, first, last, year_label)))

        for programme in own_programmes:
            rows = []
            lines = [(programme.code, programme.name)] + [(m.code, m.name) for m in programme.modules.all()
                                                          if m.code != programme.code]
            for code, name in lines:
                appropriation = appropriations.get(code)
                if appropriation is None:
                    continue
                rows.append(appropriation_row(name, appropriation, n_months))
            if not rows:
                row = empty_row(programme.name, "own")
                row["own_share_text"] = f"kein Haushaltsansatz {year} erfasst"
                row["incomplete"] = True
                rows.append(row)
            groups.append(self._group(programme, "Eigene Mittel des Kreises", rows))

        further = [a for code, a in sorted(appropriations.items()) if code not in own_codes and code not in used_lines]
        if further:
            rows = [appropriation_row(a.budget_line.name, a, n_months) for a in further]
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
            "stated": stated_rows(result),
            "missing": missing,
            "no_decision": no_decision,
            "notes": notes,
        }

    @staticmethod
    def _land_rows(programme: Programme, in_year, modules: dict, blocks, first: date, last: date,
                   year_label: str) -> list[dict]:
        """A programme's rows: one per module with a decision or engine blocks; a decision about the whole
        programme (no module) takes the blocks of the modules without a decision of their own (KI-Grundförderung
        with its Sprachmittlerpool)."""
        programme_decisions = [d for d in in_year if d.programme_id == programme.pk]
        keys, module_objects = [], {}
        for decision in programme_decisions:
            key = decision.module.code if decision.module_id else None
            if key not in keys:
                keys.append(key)
            if decision.module_id:
                module_objects[key] = decision.module
        mine = [block for block in blocks if block.module in modules
                and modules[block.module].programme_id == programme.pk]
        for block in mine:
            if block.module not in keys and None not in keys:
                keys.append(block.module)
                module_objects[block.module] = modules[block.module]
        keys.sort(key=lambda k: (k is not None, module_objects[k].position if k else 0, k or ""))
        if not keys:
            keys = [None]
        rows = []
        for key in keys:
            row_blocks = [b for b in mine if b.module == key or (key is None and b.module not in keys)]
            row_decisions = [d for d in programme_decisions if (d.module.code if d.module_id else None) == key]
            label = module_objects[key].name if key else programme.name
            rows.append(land_row(label, row_blocks, row_decisions, first, last, year_label))
        return rows

    @staticmethod
    def _group(programme: Programme, kind: str, rows: list[dict]) -> dict:
        single = len(rows) == 1 and rows[0]["label"] == programme.name
        return {"code": programme.code, "name": programme.name, "kind": kind, "rows": rows,
                "total": sum_rows(rows), "single": single}

    @staticmethod
    def _summary(years: list[dict]) -> dict:
        rows = [{"year": year["year"], **{key: year["total"][key] for key in (*COLUMNS, "incomplete")}}
                for year in years]
        total = column_sums(rows)
        total["incomplete"] = any(row["incomplete"] for row in rows)
        return {"rows": rows, "total": total}

    def figures(self, data: dict) -> list[tuple[str, str, str]]:
        def value(row, key):
            amount = figure_cells(row)[key] if key in GRANT_COLUMNS else row[key]
            if amount is not None:
                return format_money(amount)
            if key in GRANT_COLUMNS and row["grant_status"] in ("missing", "none"):
                return row["grant_text"]
            return row.get(f"{key}_text") or "—"

        labels = {"personnel": "Landeszuschuss Personalkosten", "material": "Landeszuschuss Sachkosten",
                  "unsplit": "Landeszuschuss ohne Aufteilung nach Kostenarten",
                  "pass_through": "Weiterleitung an Dritte", "own_share": "Eigenanteil", "total": "Gesamt"}
        figures = []
        for year in data["years"]:
            for group in year["groups"]:
                for row in group["rows"]:
                    name = group["name"] if row["label"] == group["name"] else f"{group['name']}, {row['label']}"
                    for key, label in labels.items():
                        figures.append((f"{year['year']}:{group['code']}:{row['label']}:{key}",
                                        f"{label} {name} {year['year']}", value(row, key)))
            figures.append((f"{year['year']}:total", f"Summe {year['year']}",
                            format_money(year["total"]["total"]) or "—"))
        return figures

