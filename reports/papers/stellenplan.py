"""The staffing plan (Stellenplan style) of one fiscal year.

Every position active in the year with FTE, pay grade, annual cost (KGSt), its
programme, module and funded slot, the funded share, fixed-term end and status;
per module the totals and the engine's grant and own share for the year.
Holders' names appear only for those who may see them, never for the committee
and never in an issued paper.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import groupby

from budgeting import calculations as calc
from budgeting.selectors import block_key, calculation_input, workplace_costs
from kimportal.models import County
from kimportal.money import format_fte, format_money, round_euro
from staffing.models import Position

from reports.registry import FISCAL_YEAR, Report, ReportParams, german_date, register

PERCENT = Decimal("0.1")


@register
class StaffingPlan(Report):
    slug = "stellenplan"
    title = "Stellenplan der geförderten Programme"
    description = ("Alle Stellen eines Haushaltsjahres mit VZÄ, Entgeltgruppe, Jahreskosten (KGSt), Programm und "
                   "Baustein, Förderquote, Befristung und Status, mit Summen je Baustein.")
    parameters = (FISCAL_YEAR,)
    landscape = True
    default_subject = "Stellenplan der geförderten Programme des Kommunalen Integrationszentrums"
    default_preliminary_remarks = (
        "Das Kommunale Integrationszentrum setzt seine Aufgaben zu einem großen Teil mit Stellen um, die das Land "
        "im Rahmen seiner Förderprogramme bezuschusst. Die Verwaltung legt hiermit den Stellenplan dieser Programme "
        "vor.")
    default_explanations = (
        "Die Übersicht zeigt alle Stellen des Kommunalen Integrationszentrums, die im Haushaltsjahr besetzt oder "
        "geplant sind, mit ihren Kosten nach den Pauschalen der KGSt „Kosten eines Arbeitsplatzes“ und dem Anteil, "
        "den die Landesförderung trägt.")

    def build(self, county: County, params: ReportParams, *, show_names: bool = False) -> dict:
        year = params.fiscal_year
        first, last = date(year, 1, 1), date(year, 12, 31)
        result = calc.calculate(calculation_input(county, first, last))
        blocks = {block.key: block for block in result.blocks}
        costs = workplace_costs()
        positions = (Position.objects.filter(county=county).active_in(first, last).for_table().with_splits()
                     .order_by("module__programme__name", "module__position", "module__code", "title", "pk"))
        groups, number = [], 0
        for module, members in groupby(positions, key=lambda position: position.module):
            rows = []
            for position in members:
                number += 1
                rows.append(self._row(number, position, blocks.get(block_key(position, position.own_share_splits.all())), costs, first, show_names))
            module_blocks = [block for block in result.blocks if block.module == module.code]
            groups.append({
                "programme": module.programme.name,
                "module": module.name,
                "rows": rows,
                "positions": len(rows),
                "fte": sum((row["fte"] for row in rows), calc.ZERO),
                "annual_cost": sum((row["annual_cost"] for row in rows), calc.ZERO),
                "grant": sum((block.grant for block in module_blocks), calc.ZERO),
                "own_share": sum((block.own_share for block in module_blocks), calc.ZERO),
            })
        return {
            "year": str(year),
            "show_names": show_names,
            "groups": groups,
            "totals": {key: sum((group[key] for group in groups), calc.ZERO if key != "positions" else 0)
                       for key in ("positions", "fte", "annual_cost", "grant", "own_share")},
        }

    @staticmethod
    def _row(number: int, position: Position, block: calc.BlockResult | None, costs: dict, first: date,
             show_names: bool) -> dict:
        annual = round_euro(position.fte * calc.workplace_cost(costs, position.pay_grade.code, first))
        funded = (block.grant * 100 / block.total).quantize(PERCENT) if block and block.total else None
        row = {
            "number": number,
            "key": position.pk,
            "title": position.title,
            "position_number": position.position_number,
            "unit": position.unit,
            "funded_slot": position.funded_slot.name if position.funded_slot_id else "",
            "employer": position.employer.name if position.employer_id else "",
            "pay_grade": position.pay_grade.code,
            "fte": position.fte,
            "annual_cost": annual,
            "funded_share": funded,
            "fixed_term_until": german_date(position.fixed_term_until),
            "status": position.get_status_display(),
        }
        if show_names:
            row["holder"] = position.holder_name
        return row

    def figures(self, data: dict) -> list[tuple[str, str, str]]:
        figures = []
        for group in data["groups"]:
            for row in group["rows"]:
                label = f"Stelle {row['title']}" + (f" ({row['position_number']})" if row["position_number"] else "")
                value = (f"{format_fte(row['fte'])} VZÄ {row['pay_grade']}, {row['status']}"
                         + (f", befristet bis {row['fixed_term_until']}" if row["fixed_term_until"] else ""))
                figures.append((f"position:{row['key']}", label, value))
            figures.append((f"fte:{group['module']}", f"VZÄ {group['module']}", f"{format_fte(group['fte'])} VZÄ"))
            figures.append((f"cost:{group['module']}", f"Jahreskosten {group['module']}",
                            format_money(group["annual_cost"])))
        return figures
