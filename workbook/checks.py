"""The rules that span rows, checked after every row of the workbook is saved (inside the import's transaction).

The same functions the pages use: staffing.services.check_capacity (days ≤ FTE × 5), staffing.splits.split_errors
(the municipalities' parts of an own share), GrantDecision.stored_pass_through_errors (programmes.pass_throughs,
Nr. 12 VV zu § 44 LHO) and provisions.rules.stage_errors (§ 83 GO NRW); and every municipality of the county in
each allocation the workbook touches (days or "kein Bedarf", DOMAIN.md "Case-management allocation").
"""
from django.core.exceptions import ValidationError

from programmes.models import GrantDecision, PassThrough
from provisions.rules import stage_errors
from staffing.models import AllocationShare, CaseManagementAllocation, OwnShareSplit, Position
from staffing.services import check_capacity
from staffing.splits import split_errors

from .reader import Problem


def cross_row_problems(county, touched: dict, rows_of: dict) -> list[Problem]:
    """Problems of the records the import touched (``touched``: model label → pks); each names the row of the
    record it concerns (``rows_of``: (label, pk) → (sheet, row))."""
    problems: list[Problem] = []

    def problem(sheet, row, column, message):
        problems.append(Problem(sheet, row, column, message))

    allocation_ids = touched["staffing.casemanagementallocation"] | set(
        AllocationShare.objects.filter(pk__in=touched["staffing.allocationshare"])
        .values_list("allocation_id", flat=True))
    municipalities = list(county.municipalities.order_by("name"))
    for allocation in CaseManagementAllocation.objects.filter(pk__in=allocation_ids).order_by("code"):
        sheet, row = rows_of.get(("staffing.casemanagementallocation", allocation.pk), ("Tage je Kommune", None))
        try:
            check_capacity(capacity_fte=allocation.capacity_fte, total_days=allocation.allocated_days())
        except ValidationError as exc:
            problem(sheet, row, "Kapazität (VZÄ)", " ".join(exc.messages))
        have = set(allocation.shares.values_list("municipality_id", flat=True))
        for municipality in municipalities:
            if municipality.pk not in have:
                problem(sheet, row, "Kürzel", f"Die Kommune „{municipality.name}“ fehlt in der Tabelle „Tage "
                                                   f"je Kommune“ für „{allocation.code}“: bitte ihre Tage oder "
                                                   "„kein Bedarf“ eintragen.")
    position_ids = touched["staffing.position"] | set(
        OwnShareSplit.objects.filter(pk__in=touched["staffing.ownsharesplit"])
        .values_list("position_id", flat=True))
    for position in Position.objects.filter(pk__in=position_ids).select_related("employer").order_by("pk"):
        rows = [split.rule() for split in position.own_share_splits.select_related("partner")]
        errors = split_errors(fte=position.fte, employer=position.employer.name if position.employer_id else None,
                              employer_id=position.employer_id, rows=rows)
        sheet, row = rows_of.get(("staffing.position", position.pk), ("Aufteilung des Eigenanteils", None))
        for error in errors:
            problem(sheet, row, None, f"Aufteilung des Eigenanteils: {error}")
    decision_ids = touched["programmes.grantdecision"] | set(
        PassThrough.objects.filter(pk__in=touched["programmes.passthrough"])
        .values_list("decision_id", flat=True))
    for decision in GrantDecision.objects.filter(pk__in=decision_ids).order_by("pk"):
        sheet, row = rows_of.get(("programmes.grantdecision", decision.pk), ("Weiterleitungen", None))
        for error in decision.stored_pass_through_errors():
            problem(sheet, row, None, f"Weiterleitungen: {' '.join(error.messages)}")
    if touched["provisions.provisionstage"]:
        statute = county.provision_statute
        for error in stage_errors(statute.rule_stages(), entered_order=False):
            problem("Wertgrenzen-Stufen", None, None, error)
    return problems
