"""The numerical statement of a proof of use (zahlenmäßiger Nachweis), without the database.

DOMAIN.md "After the decision": after the period the county proves the use of a grant with a numerical statement
(income and spending per cost type, granted / actual / difference, pass-throughs with the final recipients' proofs)
and a factual report (Sachbericht); what was granted but not used is repaid. A decision whose period runs past the
fiscal year gets an interim statement for the year (Zwischennachweis, ANBest-P Nr. 6.1: "über die in diesem
Haushaltsjahr erhaltenen Beträge"), the last year the final one.

The rules (EUR, Decimal; the figures per block come from the forecast beside the plan, budgeting.engine_forecast):

- Spending per cost type. The plan column is the plan; the "Ist" column is the forecast: actual costs where a month
  has them, plan where not ("Hochrechnung" while months are open, the settlement once all have actuals). Positions'
  costs are workplace costs (KGSt) and count as personnel costs unless the actuals name another cost type; a lump
  sum's costs are its grant by cost type, any rest (own funds) as material costs. Blocks whose posts a third party
  employs (``borne_by``) are not the county's spending: their grant is passed on to that employer and shows as
  "Weiterleitung an Dritte".
- Income: the grant, third-party funds and the county's own funds; the own funds are what the spending leaves.
- The grant due (zustehend): the planned grant less the grant vacancies cost (13.750 € for a case-management post at
  55.000 € a year vacant January to March), never more than the spending less third-party funds (a grant does not
  pay for more than was spent), never below 0.
- Repayment: what was received beyond the grant due (Nr. 8 ANBest-P: the grant is reclaimed as far as it was not
  used); still to call: the grant due beyond what was received.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from kimportal.money import format_money_exact

ZERO = Decimal("0")
PERSONNEL = "personnel"
MATERIAL = "material"
PASSED_ON = "passed_on"
COST_TYPE_LABELS = {
    PERSONNEL: "Personalausgaben",
    MATERIAL: "Sachausgaben",
    "events": "Veranstaltungen",
    "measures": "Maßnahmen",
    PASSED_ON: "Weiterleitung an Dritte",
}
COST_TYPE_ORDER = tuple(COST_TYPE_LABELS)


@dataclass(frozen=True)
class BlockPart:
    """One block's figures over the statement's months (EUR).

    ``plan_total``, ``plan_grant``, ``third_party``: the plan; ``forecast_total``: actual where a month has actuals,
    plan where not; ``actual_total``: the actuals alone; ``lost_grant``: grant lost by vacancies; ``actual_by_type``:
    the actuals per cost type; ``plan_grant_by_type``: the planned grant per cost type (lump sums); ``borne_by``: the
    employer bearing the posts where not the county; ``lump_sum``: a block without positions.
    """

    label: str
    plan_total: Decimal
    plan_grant: Decimal
    third_party: Decimal
    forecast_total: Decimal
    actual_total: Decimal
    lost_grant: Decimal = ZERO
    actual_by_type: dict = field(default_factory=dict)
    plan_grant_by_type: dict = field(default_factory=dict)
    borne_by: str | None = None
    lump_sum: bool = False
    passed_on: Decimal = ZERO  # of a lump sum's total: the part the decision passes on to third parties
    lines: tuple = ()


@dataclass(frozen=True)
class RecipientProof:
    """A pass-through of the decision and its recipient's own proof: amount passed on (EUR, None: open), due date,
    the day the proof came in and the day the county checked it (None: not yet), the amount the recipient used."""

    recipient: str
    amount: Decimal | None
    purpose: str = ""
    due_on: date | None = None
    received_on: date | None = None
    checked_on: date | None = None
    used: Decimal | None = None
    checked_by: str = ""  # on the second level the first recipient checks (Nr. 12 VV zu § 44 LHO)

    def status(self, today: date) -> str:
        """"geprüft am …", "eingegangen am …", "überfällig seit …", "ausstehend (fällig …)" or "ausstehend"."""
        if self.checked_on:
            return f"geprüft am {self.checked_on:%d.%m.%Y}"
        if self.received_on:
            return f"eingegangen am {self.received_on:%d.%m.%Y}"
        if self.due_on and self.due_on < today:
            return f"ausstehend, überfällig seit {self.due_on:%d.%m.%Y}"
        if self.due_on:
            return f"ausstehend, fällig am {self.due_on:%d.%m.%Y}"
        return "ausstehend"

    @property
    def repayment(self) -> Decimal:
        """What the recipient has to pay back to the county: passed on but not used (EUR; 0 while unknown)."""
        if self.amount is None or self.used is None:
            return ZERO
        return max(self.amount - self.used, ZERO)


@dataclass(frozen=True)
class Row:
    """One line of the statement: plan, result (actual or forecast) and the difference, EUR."""

    key: str
    label: str
    plan: Decimal
    result: Decimal

    @property
    def difference(self) -> Decimal:
        return self.result - self.plan


@dataclass
class Statement:
    """The numerical statement of one decision and period. ``final``: the last period of the decision
    (Verwendungsnachweis), else an interim one (Zwischennachweis); ``open_months``: months of the period without
    actuals (their plan stands in: the statement is a forecast until there are none)."""

    spending: list[Row]
    income: list[Row]
    granted: Decimal | None
    received: Decimal
    plan_grant: Decimal
    lost_grant: Decimal
    grant_due: Decimal
    recipients: list[RecipientProof]
    months: int
    open_months: int
    notes: list[str]
    final: bool = True

    @property
    def spending_total(self) -> Row:
        return _total("total", "Summe der Ausgaben", self.spending)

    @property
    def income_total(self) -> Row:
        return _total("total", "Summe der Einnahmen", self.income)

    @property
    def repayment(self) -> Decimal:
        """Received beyond the grant due (EUR): to pay back to the granting authority."""
        return max(self.received - self.grant_due, ZERO)

    @property
    def still_to_call(self) -> Decimal:
        """The grant due beyond what was received (EUR)."""
        return max(self.grant_due - self.received, ZERO)

    @property
    def not_used(self) -> Decimal | None:
        """Granted but not due (EUR): the part of the decision the county does not use; None without an amount."""
        return None if self.granted is None else max(self.granted - self.grant_due, ZERO)

    @property
    def provisional(self) -> bool:
        return self.open_months > 0

    @property
    def recipients_outstanding(self) -> list[RecipientProof]:
        return [r for r in self.recipients if r.received_on is None]


def _total(key: str, label: str, rows: list[Row]) -> Row:
    return Row(key, label, sum((r.plan for r in rows), ZERO), sum((r.result for r in rows), ZERO))


def statement(parts: list[BlockPart], *, granted: Decimal | None, received: Decimal, recipients=(),
              months: int = 12, open_months: int = 0, final: bool = True) -> Statement:
    """The statement of a decision's blocks over one period (see the module's rules).

    ``parts``: the blocks the decision rules, clipped to the period; ``granted``: what the decision grants for the
    period (EUR; None where neither the decision nor its slots give it); ``received``: the draw-downs received for the
    period (EUR); ``recipients``: RecipientProof per pass-through; ``months``/``open_months``: the period's months and
    those without actuals. Never raises for consistent Decimals.
    """
    recipients = list(recipients)
    plan: dict[str, Decimal] = defaultdict(lambda: ZERO)
    result: dict[str, Decimal] = defaultdict(lambda: ZERO)
    plan_grant = lost = third = third_result = ZERO
    result_grant_cap = ZERO
    notes: list[str] = []
    for part in parts:
        plan_grant += part.plan_grant
        lost += part.lost_grant
        if part.borne_by:
            # The employer spends; the county passes the grant on (its own share is the employer's).
            plan[PASSED_ON] += part.plan_grant
            result[PASSED_ON] += part.plan_grant - part.lost_grant
            result_grant_cap += part.plan_grant - part.lost_grant
            notes.append(f"Die Förderung der Stellen bei {part.borne_by} "
                         f"({format_money_exact(part.plan_grant - part.lost_grant)}) wird an {part.borne_by} "
                         f"weitergeleitet; die Kosten trägt {part.borne_by} als Anstellungsträger.")
            continue
        third += part.third_party
        third_result += part.third_party
        if part.lump_sum:
            split = {k: v for k, v in part.plan_grant_by_type.items() if v}
            passed = min(part.passed_on, part.plan_total)
            if passed:
                plan[PASSED_ON] += passed
                result[PASSED_ON] += passed
                split = _take(split, passed)
            rest = part.plan_total - passed - sum(split.values(), ZERO)
            for cost_type, amount in split.items():
                plan[cost_type] += amount
                result[cost_type] += amount
            if rest:
                plan[MATERIAL] += rest
                result[MATERIAL] += rest
            result_grant_cap += part.plan_total - part.third_party
            continue
        plan[PERSONNEL] += part.plan_total
        actual_other = sum((v for k, v in part.actual_by_type.items() if k != PERSONNEL), ZERO)
        for cost_type, amount in part.actual_by_type.items():
            if cost_type != PERSONNEL:
                result[cost_type] += amount
        result[PERSONNEL] += part.forecast_total - actual_other
        result_grant_cap += part.forecast_total - part.third_party
    if final:
        back = sum((r.repayment for r in recipients), ZERO)
        if back:
            result[PASSED_ON] -= back
            result_grant_cap -= back
            notes.append(f"Laut den Nachweisen der Empfänger nicht verwendet und an den Kreis zurückzuzahlen: "
                         f"{format_money_exact(back)}.")
    spending = [Row(t, COST_TYPE_LABELS.get(t, t), plan[t], result[t]) for t in _ordered(plan, result)]
    spent = sum((r.result for r in spending), ZERO)
    planned = sum((r.plan for r in spending), ZERO)
    grant_due = max(min(plan_grant - lost, result_grant_cap), ZERO)
    if grant_due < plan_grant - lost:
        notes.append("Die zustehende Förderung ist auf die Ausgaben abzüglich der Drittmittel begrenzt.")
    # The grant as received; what is to be paid back or still to be called settles it to the grant due, so the
    # income adds up to the spending and the own funds are what the county really bears.
    repayment, to_call = max(received - grant_due, ZERO), max(grant_due - received, ZERO)
    income = [Row("grant", "Zuwendung des Landes (erhalten)", plan_grant, received)]
    if repayment:
        income.append(Row("repayment", "abzüglich Rückzahlung an das Land", ZERO, -repayment))
    if to_call:
        income.append(Row("to_call", "zuzüglich noch abzurufende Zuwendung", ZERO, to_call))
    income += [
        Row("third_party", "Drittmittel (Anteile anderer Träger)", third, third_result),
        Row("own", "Eigenmittel des Kreises", planned - plan_grant - third, spent - grant_due - third_result),
    ]
    return Statement(spending, income, granted, received, plan_grant, lost, grant_due, list(recipients), months,
                     open_months, notes, final)


def _take(split: dict, amount: Decimal) -> dict:
    """The cost types of a lump sum less ``amount`` passed on, taken from the material costs first."""
    left = dict(split)
    for cost_type in sorted(left, key=lambda t: t != MATERIAL):
        taken = min(left[cost_type], amount)
        left[cost_type] -= taken
        amount -= taken
    return left


def _ordered(*tables: dict) -> list[str]:
    keys = {k for table in tables for k, v in table.items() if v}
    return [k for k in COST_TYPE_ORDER if k in keys] + sorted(keys - set(COST_TYPE_ORDER))
