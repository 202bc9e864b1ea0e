"""Own share, grant, third-party share and unplanned provision of a county for a period.

Finance officers script their month-end runs with it; the JSON keys are documented in README.md.
"""
import csv
import json
import textwrap
import re
from datetime import date
from decimal import Decimal

from django.core.management.base import CommandError

from budgeting import calculations as calc
from budgeting.models import Scenario
from actuals.forecast import case_forecasts
from budgeting.selectors import BASE_CASE, own_share_comparison
from kimportal.exports import neutralise_cell
from kimportal.management.base import OneLineErrorCommand
from kimportal.models import County
from kimportal.money import format_fte, format_money
from levy import presentation as levy
from levy.selectors import levy_overview

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
FORMATS = ("text", "json", "csv")


def parse_month(value: str, option: str) -> date:
    match = MONTH.match(value or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise CommandError(f"{option} erwartet einen Monat als JJJJ-MM (z. B. 2021-12), nicht {value!r}.")
    return date(int(match.group(1)), int(match.group(2)), 1)


def amount(value: Decimal) -> str:
    """Amounts as decimal strings: whole euros without places, otherwise with cents."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal("1")))
    return str(value.quantize(Decimal("0.01")))


class Command(OneLineErrorCommand):
    help = "Berechnet Eigenanteile und überplanmäßige Bereitstellung eines Kreises für einen Zeitraum."

    def add_arguments(self, parser):
        parser.add_argument("--county", help="Kürzel des Kreises, z. B. rhein-sieg-kreis")
        parser.add_argument("--from", dest="start", help="erster Monat, JJJJ-MM")
        parser.add_argument("--to", dest="end", help="letzter Monat, JJJJ-MM")
        parser.add_argument("--scenario", help="nur dieses Szenario (Name); ohne: Planstand und alle Szenarien")
        parser.add_argument("--format", default="text", help="text (Standard), json oder csv")

    def handle(self, *args, county=None, start=None, end=None, scenario=None, format="text", **options):
        if format not in FORMATS:
            raise CommandError(f"Unbekanntes Format {format!r}; erlaubt sind text, json, csv.")
        if not county:
            raise CommandError("Bitte den Kreis mit --county angeben, z. B. --county rhein-sieg-kreis.")
        if not start or not end:
            raise CommandError("Bitte den Zeitraum mit --from JJJJ-MM und --to JJJJ-MM angeben.")
        first, last = parse_month(start, "--from"), parse_month(end, "--to")
        if last < first:
            raise CommandError(f"--to ({end}) liegt vor --from ({start}).")
        try:
            body = County.objects.get(slug=county)
        except County.DoesNotExist:
            known = ", ".join(County.objects.values_list("slug", flat=True)) or "keine"
            raise CommandError(f"Unbekannter Kreis {county!r} (bekannt: {known}).") from None
        scenarios = None
        if scenario is not None:
            try:
                scenarios = [Scenario.objects.get(county=body, name=scenario)]
            except Scenario.DoesNotExist:
                known = "; ".join(Scenario.objects.filter(county=body).values_list("name", flat=True)) or "keine"
                raise CommandError(f"Unbekanntes Szenario {scenario!r} für {body} (bekannt: {known}).") from None
        try:
            if format == "json":  # plan, actual and forecast side by side (issue 12 §2)
                cases = case_forecasts(body, first, last, scenarios)
                comparison, self.forecasts = cases.comparison, cases.forecasts
            else:
                comparison = own_share_comparison(body, first, last, scenarios)
        except calc.CalculationError as exc:
            raise CommandError(str(exc)) from None
        getattr(self, f"write_{format}")(body, comparison, levy_overview(body, comparison))

    # ------------------------------------------------------------------ text

    def write_text(self, county, comparison: calc.Comparison, levy_split):
        out = self.stdout.write
        first = comparison.results[0]
        out(f"Eigenanteile {county.name}, {first.start:%d.%m.%Y} – {calc.month_end(first.end):%d.%m.%Y} "
            f"({first.month_count} Monate)")
        header = f"{'':<4}{'Gesamtkosten':>14}{'Förderung':>14}{'Dritte':>14}{'Eigenanteil':>14}{'ungedeckt':>14}"
        printed_differences = set()
        for result in comparison.results:
            out("")
            out(f"== {result.name} ==")
            for block in result.blocks:
                out(block.label if block.lump_sum else f"{block.label} ({format_fte(block.fte)} VZÄ)")
                out(header)
                out(f"{'':<4}" + "".join(f"{self._money(v):>14}" for v in (
                    block.total, block.grant, block.third_party, block.own_share, block.uncovered)))
                # The arithmetic once: in the first case, and where a scenario changes a block.
                if result is first or self._differs(block, first):
                    for text in block.limits:
                        out(f"    Förderung {text}")
                    for text in block.notes:
                        out(f"    {text[:1].upper()}{text[1:]}")
                    for line in block.lines:
                        out(f"    {line.label}: {line.text}")
                covered = ", ".join(f"{name} {format_money(v)}" for name, v in block.covered.items())
                if covered:
                    out(f"    gedeckt durch: {covered}")
            out("Summe" + "".join(f"{self._money(result.total(f)):>14}" for f in calc.FIELDS)
                + f"{self._money(result.unplanned_provision):>14}")
            out(f"Überplanmäßige Bereitstellung: {format_money(result.unplanned_provision)}")
            for difference in result.differences:
                if difference.difference and difference.text not in printed_differences:
                    printed_differences.add(difference.text)
                    out(f"  Abweichung: {difference.text}")
                    if difference.explanation:
                        out(f"    Erklärung: {difference.explanation}")
            for line in levy.text_lines(levy_split, result.name):
                out(line)
        if len(comparison.results) > 1:
            self._write_side_by_side(comparison)
        out("")
        out(f"Risikospanne: {comparison.risk_range_text}")

    @staticmethod
    def _differs(block, first) -> bool:
        other = next((b for b in first.blocks if b.key == block.key), None)
        return other is None or any(block.figure(f) != other.figure(f) for f in calc.FIELDS)

    def _write_side_by_side(self, comparison: calc.Comparison):
        """The cases side by side, numbered ("Fall 1: Planstand"), long block labels wrapped over lines, so the
        table stays about 100 characters wide whatever the cases are called."""
        out = self.stdout.write
        out("")
        out("== Vergleich: Eigenanteil und überplanmäßige Bereitstellung ==")
        for number, result in enumerate(comparison.results, start=1):
            out(f"Fall {number}: {result.name}")
        keys = []
        for result in comparison.results:
            keys += [(b.key, b.label) for b in result.blocks if (b.key, b.label) not in keys]
        width, column = 44, 14
        out(f"{'Block':<{width}}" + "".join(f"{f'Fall {n}':>{column}}" for n in range(1, len(comparison.results) + 1)))
        for key, label in keys:
            cells = []
            for result in comparison.results:
                block = next((b for b in result.blocks if b.key == key), None)
                cells.append(self._money(block.own_share) if block else "—")
            lines = textwrap.wrap(label, width - 2) or [""]
            for line in lines[:-1]:
                out(line)
            out(f"{lines[-1]:<{width}}" + "".join(f"{c:>{column}}" for c in cells))
        out(f"{'Überplanmäßige Bereitstellung':<{width}}"
            + "".join(f"{format_money(r.unplanned_provision):>{column}}" for r in comparison.results))

    @staticmethod
    def _money(value):
        return format_money(value) if value else "—"

    # ------------------------------------------------------------------ json

    def write_json(self, county, comparison: calc.Comparison, levy_split):
        first = comparison.results[0]
        data = {
            "county": county.slug,
            "county_name": county.name,
            "period": {"from": f"{first.start:%Y-%m}", "to": f"{first.end:%Y-%m}", "months": first.month_count},
            "cases": [self._case(r, f) | levy.case_json(levy_split, r.name)
                      for r, f in zip(comparison.results, self.forecasts)],
            "risk_range": {"low": amount(comparison.risk_low), "high": amount(comparison.risk_high)},
        }
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def _case(self, result: calc.CalculationResult, forecast) -> dict:
        """One case; with its forecast (README "JSON keys"): per block ``forecast_total``, ``forecast_own_share``,
        ``lost_grant``, ``forecast_lines`` and per month ``actual`` (null where no position of the block has a
        figure) and ``forecast_total``; in ``totals`` ``forecast_total`` and ``forecast_own_share``; the case's
        ``forecast_warnings`` (budget lines whose forecast own share exceeds the appropriation)."""
        blocks = {b.key: b for b in forecast.blocks}
        case = {
            "name": result.name,
            "scenario": None if result.name == BASE_CASE else result.name,
            "blocks": [
                {
                    "key": b.key,
                    "label": b.label,
                    "module": b.module,
                    "fte": str(b.fte),
                    "total": amount(b.total),
                    "grant": amount(b.grant),
                    "third_party": amount(b.third_party),
                    "own_share": amount(b.own_share),
                    "uncovered": amount(b.uncovered),
                    "borne_by": b.borne_by,
                    "parties": {name: amount(v) for name, v in b.parties.items()},
                    "budget_line": b.budget_line,
                    "covered": {name: amount(v) for name, v in b.covered.items()},
                    "limits": list(b.limits),
                    "notes": list(b.notes),
                    "source": "; ".join(b.sources),
                    "lines": [{"field": ln.field, "label": ln.label, "amount": amount(ln.amount), "text": ln.text,
                               "detail": ln.detail, "source": ln.source} for ln in b.lines],
                    "months": [{"month": f"{m.month:%Y-%m}", "total": amount(m.total), "grant": amount(m.grant),
                                "third_party": amount(m.third_party), "own_share": amount(m.own_share),
                                "uncovered": amount(m.uncovered)} for m in b.months],
                }
                for b in result.blocks
            ],
            "totals": {f: amount(result.total(f)) for f in calc.FIELDS},
            "unplanned_provision": amount(result.unplanned_provision),
            "differences": [
                {"block_key": d.block_key, "field": d.field, "stated": amount(d.stated), "computed": amount(d.computed),
                 "difference": amount(d.difference), "source": d.source, "explanation": d.explanation}
                for d in result.differences
            ],
        }
        for data in case["blocks"]:
            block = blocks[data["key"]]
            data.update(forecast_total=amount(block.forecast_total), forecast_own_share=amount(block.forecast_own_share),
                        lost_grant=amount(block.lost_grant), forecast_lines=list(block.lines))
            for month, figures in zip(data["months"], block.months):
                month.update(actual=None if figures.actual is None else amount(figures.actual),
                             forecast_total=amount(figures.forecast_total))
        case["totals"].update(forecast_total=amount(forecast.total("forecast_total")),
                              forecast_own_share=amount(forecast.total("forecast_own_share")))
        case["forecast_warnings"] = [w.text for w in forecast.warnings]
        return case

    # ------------------------------------------------------------------ csv

    def write_csv(self, county, comparison: calc.Comparison, levy_split):
        # Names and labels are user data and go through neutralise_cell, so a scenario called "=1+1" stays
        # text in a spreadsheet; amounts are numbers written as plain decimals ("-18" stays a number).
        text = neutralise_cell
        writer = csv.writer(self.stdout, lineterminator="\n")
        # "source": where a lump-sum block's amounts come from (a rate's source, "Bescheid vom …", "Haushaltsansatz
        # …"); empty for blocks of positions. Last, so scripts reading the first columns by position keep working.
        writer.writerow(["case", "block_key", "block", "fte", "total", "grant", "third_party", "own_share", "uncovered",
                         "source"])
        for result in comparison.results:
            for b in result.blocks:
                writer.writerow([text(result.name), text(b.key), text(b.label), str(b.fte), amount(b.total),
                                 amount(b.grant), amount(b.third_party), amount(b.own_share), amount(b.uncovered),
                                 text("; ".join(b.sources))])
            writer.writerow([text(result.name), "", "Summe", "", *(amount(result.total(f)) for f in calc.FIELDS),
                             amount(result.unplanned_provision), ""])
        if levy_split.cases:
            # The Kreisumlage as a block of its own after an empty row, with its own header (README).
            writer.writerow([])
            writer.writerows(levy.csv_rows(levy_split, text))

