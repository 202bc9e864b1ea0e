"""Rows of the programme budget overview (reports.papers.haushalt): one fiscal year's figures per programme and
module, read from the own-share engine's results (budgeting.calculations), never computed a second way.

- Land grants: the grant of the module's blocks by cost type (``BlockResult.grant_by_cost_type``): personnel is
  "Personalkosten", material, events and measures "Sachkosten". Grant from decided amounts not split by cost type
  (``BlockResult.grant_unsplit``) stands in a column of its own, "Aufteilung nicht erfasst" (``unsplit``), never in
  Personal- or Sachkosten, so no sum reads 0 € for money that is there; the engine counts it as material (Vorlage
  000: "Sachmittel ..., teilweise zur Weiterleitung"), which the comparison with Vorlage 000 says.
- None in a column means "nothing of this kind" (printed "—"); a sum is None when no row has an amount there.
- The details are the engine's arithmetic (its grant lines with their sources, limits and notes), the decisions in
  force in the year, the first-level pass-throughs (a share of each decision's amount by months; a first
  recipient's onward pass-through is named, not added) and the own share of the positions.
- A Land programme the county applied for without any figure in the year: "kein Bescheid für <year> erfasst"; a
  decision the engine computes nothing from: "Betrag laut Bescheid nicht erfasst". No figure is invented.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Q

from budgeting import calculations as calc
from budgeting.models import Appropriation
from kimportal.money import format_fte, format_money, round_euro
from programmes.models import GrantDecision

from reports.papers.common import decision_date_text
from reports.registry import german_date

ZERO = calc.ZERO
NOT_RECORDED = "Betrag laut Bescheid nicht erfasst"
COLUMNS = ("personnel", "material", "unsplit", "pass_through", "own_share", "total")
GRANT_COLUMNS = ("personnel", "material", "unsplit")


def overlap(start: date, end: date, first: date, last: date) -> list[date]:
    """The months (first days) that the day range start..end shares with first..last; [] if none."""
    begin, finish = max(start, first), min(end, last)
    return calc.months_between(begin, finish) if begin <= finish else []


def running(programmes, first: date, last: date):
    """The programmes that run at some time between first and last (no start or end: open)."""
    return (programmes.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=last))
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first)))


def share_of(amount: Decimal, part: int, whole: int) -> Decimal:
    """``amount`` for ``part`` of ``whole`` months, rounded to whole euros (the amount itself for all of them)."""
    return amount if part == whole else round_euro(amount * part / whole)


def decision_label(decision: GrantDecision) -> str:
    return (f"{decision_date_text(decision)}, Bewilligungszeitraum {german_date(decision.period_start)} – "
            f"{german_date(decision.period_end)}")


def empty_row(label: str, kind: str) -> dict:
    """A row without figures; ``grant_amount`` is the Land grant of an "unsplit" row (also in ``unsplit``)."""
    return {"label": label, "kind": kind, "details": [], "personnel": None, "material": None, "unsplit": None,
            "grant_amount": None,
            "grant_status": "none", "grant_text": "", "pass_through": None, "pass_through_text": "", "note": None,
            "own_share": None, "own_share_text": "", "total": None, "incomplete": False}


def _pass_throughs(row: dict, decisions: list[GrantDecision], first: date, last: date) -> None:
    """The decisions' first-level pass-throughs for the year's months (part of the grant: named, not added)."""
    missing, amounts = [], []
    for decision in decisions:
        months = len(overlap(decision.period_start, decision.period_end, first, last))
        whole = len(calc.months_between(decision.period_start, decision.period_end))
        for passing in decision.pass_throughs.all():
            if passing.amount is None:
                missing.append(passing.recipient.name)
                continue
            amount = share_of(passing.amount, months, whole)
            amounts.append(amount)
            # The second level is the first recipient's business, not the county's budget: named, not added.
            onward = [f"an {row_.recipient.name} {format_money(share_of(row_.amount, months, whole))}"
                      if row_.amount is not None else f"an {row_.recipient.name} (Betrag nicht erfasst)"
                      for row_ in passing.onward.all()]
            row["details"].append(f"Weiterleitung an {passing.recipient.name} {format_money(amount)}"
                                  + (f" (leitet davon weiter {', '.join(onward)})" if onward else ""))
    if amounts:
        row["pass_through"] = sum(amounts, ZERO)
    if missing:
        row["pass_through_text"] = "nicht erfasst"
        row["incomplete"] = True
        row["details"].append("Weiterleitung an " + ", ".join(sorted(set(missing))) + ": Betrag nicht erfasst")


def _arithmetic(blocks: list[calc.BlockResult]) -> list[str]:
    """The engine's grant arithmetic of the blocks: notes, limits and grant lines (with their sources)."""
    details = []
    for block in blocks:
        details += [f"{text[:1].upper()}{text[1:]}" for text in block.notes if not text.startswith("davon ")]
        details += [f"Förderung {text}" for text in block.limits]
        prefix = "" if block.lump_sum else f"{block.label}: "
        details += [f"{prefix}{line.label}: {line.text}" for line in block.lines if line.field == "grant"]
    return list(dict.fromkeys(details))


def land_row(label: str, blocks: list[calc.BlockResult], decisions: list[GrantDecision], first: date, last: date,
             year_label: str) -> dict:
    """A module's (or a whole programme's) row of a Land programme from its engine blocks in the year."""
    row = empty_row(label, "land")
    for decision in decisions:
        months = len(overlap(decision.period_start, decision.period_end, first, last))
        row["details"].append(decision_label(decision) + (f" ({months} Monate im Haushaltsjahr)"
                                                          if months != 12 else ""))
    row["details"] += _arithmetic(blocks)
    grant = sum((block.grant for block in blocks), ZERO)
    unsplit = sum((block.grant_unsplit for block in blocks), ZERO)
    if grant and unsplit == grant:
        row["grant_status"], row["grant_amount"], row["grant_text"] = "unsplit", grant, "Aufteilung nicht erfasst"
        row["unsplit"] = grant
    elif grant or any(not block.lump_sum for block in blocks):
        row["grant_status"] = "split"
        personnel = sum((block.figure("grant_personnel") for block in blocks), ZERO)
        # Zero of a cost type is "nothing of this kind" ("—"), as in the rows without any grant of it.
        row["personnel"] = personnel or None
        row["material"] = (grant - personnel - unsplit) or None
        row["unsplit"] = unsplit or None
    elif decisions:
        row["grant_status"], row["grant_text"] = "missing", NOT_RECORDED
        row["incomplete"] = True
    else:
        row["grant_status"], row["grant_text"] = "none", f"kein Bescheid für {year_label} erfasst"
    _pass_throughs(row, decisions, first, last)
    own, own_detail = own_share_of([block for block in blocks if not block.lump_sum])
    if own is not None:
        row["own_share"] = own
        row["details"].append(own_detail)
    if row["grant_status"] in ("split", "unsplit") or row["own_share"] is not None:
        row["total"] = grant_of(row) + (row["own_share"] or ZERO)
    return row


def own_share_of(blocks: list[calc.BlockResult]) -> tuple[Decimal | None, str]:
    """The county's own share of the module's positions in the year, from the engine, with who bears it."""
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


def appropriation_row(label: str, appropriation: Appropriation, n_months: int) -> dict:
    """An own programme's (or a further) appropriation for the year's months: own funds, no grant."""
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


def grant_of(row: dict) -> Decimal:
    """The row's Land grant: its personnel, material and unsplit amounts (0 for a row without grant)."""
    return sum((row[key] or ZERO for key in GRANT_COLUMNS), ZERO)


def sum_rows(rows: list[dict]) -> dict:
    """The columns' sums (column_sums); ``incomplete``: a Land row without a recorded figure."""
    total = column_sums(rows)
    total["incomplete"] = any(row["incomplete"] or row["grant_status"] in ("none", "missing") and row["kind"] == "land"
                              for row in rows)
    return total


def column_sums(rows: list[dict]) -> dict:
    """Per column of COLUMNS the sum of the rows' amounts (Decimal), None where no row has an amount there
    ("nothing of this kind", printed "—"); ``unsplit``: grants not split by cost type."""
    total = {}
    for key in COLUMNS:
        amounts = [row[key] for row in rows if row[key] is not None]
        total[key] = sum(amounts, ZERO) if amounts else None
    return total


def figure_cells(row: dict) -> dict:
    """A row's grant columns as figures compare them, also for a paper issued before the column "Aufteilung nicht
    erfasst" (its unsplit amount then stood only in ``grant_amount``, a missing cost type as 0)."""
    cells = {key: row.get(key) for key in GRANT_COLUMNS}
    if "unsplit" not in row and row["grant_status"] == "unsplit":
        cells["unsplit"] = row["grant_amount"]
    for key in ("personnel", "material"):
        if cells[key] is not None and Decimal(cells[key]) == 0:
            cells[key] = None
    return cells


def stated_rows(result: calc.CalculationResult) -> list[dict]:
    """Vorlage 000's Land totals for the year (stated figures for all programmes, block "*") against the engine's:
    the very differences the own-share page and ``own_share`` show, with the engine's explanation."""
    rows = []
    for difference in sorted((d for d in result.differences if d.block_key == calc.ALL_BLOCKS
                              and d.field in ("grant_personnel", "grant_material")), key=lambda d: d.field):
        rows.append({"label": calc.STATED_FIELD_LABELS[difference.field], "stated": difference.stated,
                     "computed": difference.computed, "difference": difference.difference,
                     "source": difference.source, "explanation": difference.explanation,
                     "difference_text": ("+" if difference.difference > 0 else "") + format_money(difference.difference)})
    return rows
