"""Year-end rollover (Fortschreibung) of a fiscal year's plan to the next year: the rules, pure (no ORM).

Issue 12 §6: a finance officer copies a fiscal year's plan to the next year, as a scenario first and then as the
plan: appropriations, positions continuing past the year end, expected decisions. Positions that end are left out,
and the finance officer sees which.

``plan_rollover(RolloverInput) -> RolloverPlan``. Amounts are EUR (Decimal), FTE Decimal; dates are ``date``.

- Appropriations (Haushaltsansätze): each of year Y is copied to Y+1 with the same budget line and amount, unless
  Y+1 already has one on that line: then it is "vorhanden, nicht überschrieben" (a budget already decided wins).
- Positions: a position active on 31.12.Y with no end before 01.01.Y+1 continues (positions span years; nothing is
  copied). A fixed-term contract ending in Y without an end date continues with "Befristung endet am …,
  Verlängerung prüfen" (KIM is permanent by law from 2022, its contracts often are not). A position with an end
  date in Y is left out and listed with its end date. A position that starts in Y+1 or later is already planned.
- Expected decisions: per programme and module, the last decision whose period covers Y but not Y+1 is expected
  again for Y+1 (01.01.–31.12.) with the same granted slots and the same annual amount (amount × 12 / months of
  its period, to the cent, half up) - an assumption, marked as such. A Land programme ending 31.12.Y "unless the
  Land extends it" (Vorlage 000: "Die einzelnen Förderungen enden grundsätzlich zum 31.12.2022") is still
  expected, flagged "Verlängerung durch das Land offen"; a programme that ended before 31.12.Y is not. Where
  Y+1 already has a decision for the programme and module, nothing is expected ("bereits vorhanden").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from budgeting.periods import months_between

CENT = Decimal("0.01")
TWELVE = Decimal("12")
LAND_EXTENSION_OPEN = "Verlängerung durch das Land offen"


class RolloverRefused(ValueError):
    """A year that cannot be rolled over; the message is German and fit for a user."""


FIRST_YEAR, LAST_YEAR = 2000, 2099  # an appropriation's fiscal year is 2000-2100 (budgeting.models)


def check_year(year) -> int:
    """The fiscal year to roll over as an int; RolloverRefused for anything but a whole year 2000-2099."""
    try:
        value = int(str(year).strip())
    except (TypeError, ValueError):
        raise RolloverRefused(f"„{year}“ ist kein Haushaltsjahr; bitte eine Jahreszahl wie 2022 angeben.") from None
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise RolloverRefused(f"Das Haushaltsjahr {value} liegt außerhalb von {FIRST_YEAR} bis {LAST_YEAR}.")
    return value


@dataclass(frozen=True)
class AppropriationIn:
    """An appropriation: ``line`` the budget line's code, ``line_id`` its key, ``amount`` EUR."""

    line_id: int
    line: str
    name: str
    fiscal_year: int
    amount: Decimal


@dataclass(frozen=True)
class PositionIn:
    """A position as far as the rollover needs it (``end_on``: its end; ``fixed_term_until``: the contract's)."""

    key: int
    number: str
    title: str
    module: str
    fte: Decimal
    start_on: date
    end_on: date | None = None
    fixed_term_until: date | None = None

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}".strip()


@dataclass(frozen=True)
class SlotIn:
    """A granted slot: ``funded_slot_id`` the funded slot's key, ``count`` slots of ``nominal_fte`` FTE."""

    funded_slot_id: int
    name: str
    count: Decimal
    nominal_fte: Decimal


@dataclass(frozen=True)
class DecisionIn:
    """A grant decision with its programme (``land``: a Land programme, not the county's own) and slots;
    ``expected``: no letter yet (GrantDecision.expected)."""

    key: int
    label: str
    programme_id: int
    programme: str
    module_id: int | None
    module: str | None
    period_start: date
    period_end: date
    amount: Decimal | None
    slots: tuple[SlotIn, ...] = ()
    programme_ends_on: date | None = None
    land: bool = True
    expected: bool = False

    @property
    def purpose(self) -> tuple[int, int | None]:
        return (self.programme_id, self.module_id)

    @property
    def name(self) -> str:
        return f"{self.programme}: {self.module}" if self.module and self.module != self.programme else self.programme


@dataclass(frozen=True)
class RolloverInput:
    """Year Y's appropriations, positions and decisions, and Y+1's appropriations (others are ignored).

    ``decisions``: all of the county's decisions (those covering Y+1 make an expected one unnecessary).
    """

    year: int
    appropriations: tuple[AppropriationIn, ...]
    positions: tuple[PositionIn, ...]
    decisions: tuple[DecisionIn, ...]


@dataclass(frozen=True)
class CopiedAppropriation:
    source: AppropriationIn
    fiscal_year: int

    @property
    def amount(self) -> Decimal:
        return self.source.amount


@dataclass(frozen=True)
class KeptAppropriation:
    """Y+1 already has an appropriation on the line: "vorhanden, nicht überschrieben"."""

    source: AppropriationIn
    existing: AppropriationIn


@dataclass(frozen=True)
class ContinuingPosition:
    position: PositionIn
    note: str = ""


@dataclass(frozen=True)
class EndingPosition:
    position: PositionIn

    @property
    def end_on(self) -> date:
        return self.position.end_on


@dataclass(frozen=True)
class ExpectedDecision:
    """A decision expected for Y+1 like the one of Y: same slots, same annual amount (EUR), an assumption."""

    source: DecisionIn
    period_start: date
    period_end: date
    amount: Decimal | None
    flag: str = ""

    @property
    def note(self) -> str:
        """The note the decision carries once it is in the plan; "Annahme" makes the engine call its amount
        assumed (budgeting.lump_sum_inputs.assumed)."""
        text = (f"erwartet, Fortschreibung aus {self.source.period_end.year} (Annahme: gleiche Förderstellen und "
                f"gleicher Jahresbetrag wie {self.source.label})")
        return f"{text}; {self.flag}" if self.flag else text


@dataclass(frozen=True)
class SkippedDecision:
    """A decision of Y that is not expected again: ``reason`` says why."""

    source: DecisionIn
    reason: str


@dataclass(frozen=True)
class RolloverPlan:
    """The plan for Y+1: three lists for the page and the command (taken over / left out / already there)."""

    year: int
    appropriations: tuple[CopiedAppropriation, ...] = ()
    kept_appropriations: tuple[KeptAppropriation, ...] = ()
    continuing: tuple[ContinuingPosition, ...] = ()
    ending: tuple[EndingPosition, ...] = ()
    already_planned: tuple[PositionIn, ...] = ()
    expected: tuple[ExpectedDecision, ...] = ()
    skipped: tuple[SkippedDecision, ...] = ()
    existing_decisions: tuple[DecisionIn, ...] = field(default=())

    @property
    def target_year(self) -> int:
        return self.year + 1

    @property
    def copied_total(self) -> Decimal:
        """The sum of the appropriations copied to Y+1 (EUR)."""
        return sum((a.amount for a in self.appropriations), Decimal("0"))


def annual_amount(decision: DecisionIn) -> Decimal | None:
    """A decision's amount per year: amount × 12 / calendar months of its period, to the cent (half up)."""
    if decision.amount is None:
        return None
    months = len(months_between(decision.period_start, decision.period_end))
    return (decision.amount * TWELVE / months).quantize(CENT, rounding=ROUND_HALF_UP)


def _positions(year: int, positions) -> tuple[list, list, list]:
    first, last = date(year, 1, 1), date(year, 12, 31)
    continuing, ending, planned = [], [], []
    for position in sorted(positions, key=lambda p: (p.module, p.number, p.title, p.key)):
        if position.start_on > last:
            planned.append(position)
        elif position.end_on is not None and position.end_on < first:
            continue  # ended before the year: not part of its plan
        elif position.end_on is not None and position.end_on <= last:
            ending.append(EndingPosition(position))
        else:
            note = ""
            if position.fixed_term_until is not None and position.fixed_term_until <= last and (
                    position.end_on is None or position.end_on > last):
                note = f"Befristung endet am {position.fixed_term_until:%d.%m.%Y}, Verlängerung prüfen"
            continuing.append(ContinuingPosition(position, note))
    return continuing, ending, planned


def _decisions(year: int, decisions) -> tuple[list, list, list]:
    first, last = date(year, 1, 1), date(year, 12, 31)
    following = (date(year + 1, 1, 1), date(year + 1, 12, 31))
    covering_next = {}
    for decision in decisions:
        if decision.period_start <= following[1] and decision.period_end >= following[0]:
            covering_next.setdefault(decision.purpose, decision)
    latest = {}
    for decision in decisions:
        if decision.period_start <= last and first <= decision.period_end <= last:
            current = latest.get(decision.purpose)
            if current is None or (decision.period_end, decision.period_start, decision.key) > (
                    current.period_end, current.period_start, current.key):
                latest[decision.purpose] = decision
    expected, skipped, existing = [], [], []
    for decision in sorted(latest.values(), key=lambda d: (d.name, d.key)):
        if decision.purpose in covering_next:
            existing.append(covering_next[decision.purpose])
            continue
        ends = decision.programme_ends_on
        if ends is not None and ends < last:
            skipped.append(SkippedDecision(decision, f"Programm endete am {ends:%d.%m.%Y}"))
            continue
        flag = ""
        if ends is not None and ends == last:
            flag = LAND_EXTENSION_OPEN if decision.land else f"Programm endet am {ends:%d.%m.%Y}, Verlängerung prüfen"
        expected.append(ExpectedDecision(decision, *following, annual_amount(decision), flag))
    return expected, skipped, existing


def plan_rollover(data: RolloverInput) -> RolloverPlan:
    """The plan for ``data.year + 1`` from year ``data.year``'s data (rules: module docstring)."""
    year = data.year
    next_year = {a.line_id: a for a in data.appropriations if a.fiscal_year == year + 1}
    copied, kept = [], []
    for appropriation in sorted((a for a in data.appropriations if a.fiscal_year == year), key=lambda a: a.line):
        existing = next_year.get(appropriation.line_id)
        if existing is not None:
            kept.append(KeptAppropriation(appropriation, existing))
        else:
            copied.append(CopiedAppropriation(appropriation, year + 1))
    continuing, ending, planned = _positions(year, data.positions)
    expected, skipped, existing = _decisions(year, data.decisions)
    return RolloverPlan(year=year, appropriations=tuple(copied), kept_appropriations=tuple(kept),
                        continuing=tuple(continuing), ending=tuple(ending), already_planned=tuple(planned),
                        expected=tuple(expected), skipped=tuple(skipped), existing_decisions=tuple(existing))
