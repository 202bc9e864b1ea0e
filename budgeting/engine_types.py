"""The own-share engine's input and output dataclasses (pure: no ORM, no Django).

Amounts are Decimal euros, FTE Decimal full-time equivalents, dates calendar days.
budgeting.selectors builds the inputs from the database; budgeting.calculations
computes the outputs. See budgeting/calculations.py for the rules.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from kimportal.money import format_money

from .periods import Share, share_of_month

ZERO = Decimal("0")

PER_FTE = "per_fte"
PER_SLOT = "per_slot"

RATE = "rate"  # an amount per FTE or per slot and year, multiplied by the block's units
FIXED = "fixed"  # a fixed amount per year for the block ("Festbetrag bis zu"), not multiplied

COST_TYPE_LABELS = {
    "personnel": "Personalkosten",
    "material": "Sachkosten",
    "events": "Veranstaltungen",
    "measures": "Maßnahmen",
}
COST_TYPE_ORDER = {name: index for index, name in enumerate(COST_TYPE_LABELS)}
FIELDS = ("total", "grant", "third_party", "own_share")
FIELD_LABELS = {
    "total": "Gesamtkosten",
    "grant": "Förderung",
    "third_party": "Kostenanteil Dritter",
    "own_share": "Eigenanteil",
}
# Figures a paper may state besides the four fields: the Land's grants by cost type (Vorlage 000: "Personalkosten in
# Höhe von rd. 1.412.200 €", "Sachmittel und Fortbildungsmaßnahmen ... 836.700 €"). Personnel is the cost type
# "personnel"; material, events and measures count as material (as reports.papers.haushalt buckets them).
STATED_FIELD_LABELS = {
    **FIELD_LABELS,
    "grant_personnel": "Förderung Personalkosten",
    "grant_material": "Förderung Sach- und Fortbildungskosten",
}
ALL_BLOCKS = "*"  # a stated figure for the sum over every block of a case (all programmes)
PROGRAMME_PREFIX = "programm:"  # "programm:<code>": a stated figure for the sum over one programme's blocks


# --------------------------------------------------------------------------- input


@dataclass(frozen=True)
class RateInput:
    """A funding rate (Fördersatz) with its validity, as the Land's guideline or decision states it.

    ``annual``: EUR per FTE (per-FTE blocks) or per slot (per-slot blocks) and year; for ``kind=FIXED``
    the block's fixed amount per year. ``cap``: at most this many EUR a year from this rate, for all
    blocks that share the rate's ``key``. ``max_units``: for at most this many posts (FTE or slots),
    e.g. KOMM-AN Programmteil I: 57.000 € per post, at most 2 posts and 114.000 € a year.
    ``valid_until`` None: valid until a newer rate of the same cost type and kind starts.
    """

    cost_type: str
    annual: Decimal
    valid_from: date
    valid_until: date | None = None
    kind: str = RATE
    cap: Decimal | None = None
    max_units: Decimal | None = None
    key: str = ""
    source: str = ""

    def valid_in(self, month: date) -> bool:
        return self.share_in(month).days > 0

    def share_in(self, month: date) -> Share:
        return share_of_month(month, self.valid_from, self.valid_until)


@dataclass(frozen=True)
class DecisionInput:
    """A grant decision (Zuwendungsbescheid) in force from ``start`` to ``end`` (inclusive).

    ``units``: the slots it grants for the block's funded slot: FTE (count × nominal FTE) for per-FTE
    blocks, the number of slots for per-slot blocks; None when it states none. ``amount``: EUR granted
    for the whole period (prorated per month by calendar months), None when it states none. Blocks
    that share a ``key`` share the decision's amount; ``units_key`` groups the blocks of one funded slot.
    """

    key: str
    label: str
    start: date
    end: date
    units: Decimal | None = None
    amount: Decimal | None = None
    units_key: str = ""
    # Pass-throughs (Nr. 12 VV zu § 44 LHO) of the decision: ((recipient, EUR or None), ...). ``passed_on``: what
    # the county hands on, deducted from ``amount`` for its own posts; ``received``: what it hands on to the
    # recipient employing the block's posts, which is then the block's whole ``amount`` (none deducted).
    passed_on: tuple = ()
    received: tuple = ()

    def share_in(self, month: date) -> Share:
        return share_of_month(month, self.start, self.end)

    @property
    def available(self) -> Decimal | None:
        """EUR of the decision's period the block may draw: ``amount`` less what is passed on (never below 0);
        None when the decision states no amount. A pass-through without an amount deducts nothing."""
        if self.amount is None:
            return None
        deducted = sum((amount for _, amount in self.passed_on if amount is not None), ZERO)
        return max(Decimal(self.amount) - deducted, ZERO)

    @property
    def amount_text(self) -> str:
        """The limit's arithmetic: "300.000 € − 55.000 € weitergeleitet an Stadt Troisdorf = 245.000 €",
        "55.000 € weitergeleitet an Stadt Troisdorf", or the plain amount "60.000 €"."""
        if self.received:
            names = " und ".join(dict.fromkeys(name for name, _ in self.received))
            return f"{format_money(self.amount)} weitergeleitet an {names}"
        recorded = [(name, amount) for name, amount in self.passed_on if amount is not None]
        missing = [name for name, amount in self.passed_on if amount is None]
        text = format_money(self.amount)
        if recorded:
            text += "".join(f" − {format_money(amount)} weitergeleitet an {name}" for name, amount in recorded)
            text += f" = {format_money(self.available)}"
        if missing:
            text += f" (Weiterleitung an {', '.join(missing)} ohne erfassten Betrag: nicht abgezogen)"
        return text


@dataclass(frozen=True)
class LumpSumInput:
    """An amount per year a block without positions spends (EUR), by cost type, from ``valid_from`` to ``valid_until``.

    ``funded`` True: a Land rate the grant pays ("Jahrespauschale", "Festbetrag bis zu", or ``annual`` per post
    × ``units`` posts the decision grants, at most ``max_units`` posts); the block spends what it is granted
    (total cost = grant), and only in months a grant decision is in force unless the module needs none.
    ``funded`` False: the county's own funds (its appropriation for a programme of its own, e.g. the
    Projektmittel, Vorlage 000): cost and own share, no grant. ``cap``: at most this many EUR a year.
    """

    key: str
    label: str
    cost_type: str
    annual: Decimal
    valid_from: date | None = None
    valid_until: date | None = None
    units: Decimal | None = None
    max_units: Decimal | None = None
    cap: Decimal | None = None
    funded: bool = True
    source: str = ""
    # True: a decision's stated amount whose split into personnel and material is not recorded (counted as
    # material, Vorlage 000's "Sachmittel ..., teilweise zur Weiterleitung an Dritte").
    unsplit: bool = False

    def share_in(self, month: date) -> Share:
        return share_of_month(month, self.valid_from, self.valid_until)


@dataclass(frozen=True)
class PositionInput:
    """A staff position: ``fte`` FTE of ``pay_grade`` from ``start_on`` to ``end_on`` (inclusive, open if None)."""

    key: str
    fte: Decimal
    pay_grade: str
    start_on: date | None = None
    end_on: date | None = None

    def active_in(self, month: date) -> bool:
        return self.share_in(month).days > 0

    def share_in(self, month: date) -> Share:
        return share_of_month(month, self.start_on, self.end_on)


@dataclass(frozen=True)
class ThirdPartyShare:
    """Costs a partner bears per FTE and year (e.g. room and material costs of a municipality), in EUR."""

    label: str
    fte: Decimal
    annual_per_fte: Decimal
    valid_from: date | None = None
    valid_until: date | None = None

    def active_in(self, month: date) -> bool:
        return self.share_in(month).days > 0

    def share_in(self, month: date) -> Share:
        return share_of_month(month, self.valid_from, self.valid_until)


@dataclass(frozen=True)
class SplitInput:
    """A municipality's part of the own share a partner-employed post leaves its employer (staffing.splits).

    ``fraction``: its part of the employer's own share (days ÷ (VZÄ × 5) or percent ÷ 100; None: an amount
    only); ``annual_cap``: at most this many EUR a year (pro rata for n months and part months); ``basis``:
    the agreement in words ("50 %, höchstens 5.000 € je Jahr"). Source: DOMAIN.md "Who bears what".
    """

    party: str
    fraction: Decimal | None
    annual_cap: Decimal | None
    basis: str


@dataclass(frozen=True)
class BlockInput:
    """Positions computed together: same funding, employer, allocation and own-share budget line."""

    key: str
    label: str
    module: str
    basis: str  # PER_FTE: rates × FTE; PER_SLOT: rates × number of positions
    positions: tuple[PositionInput, ...]
    rates: tuple[RateInput, ...] = ()
    third_parties: tuple[ThirdPartyShare, ...] = ()
    borne_by: str | None = None  # an employer other than the county bears the own share
    budget_line: str | None = None  # own share planned on this budget line
    decisions: tuple[DecisionInput, ...] = ()
    # With ``borne_by``: the county's voluntary top-up, EUR per FTE and year (Kreis Heinsberg: 5.000 € for the
    # welfare organisations' case managers); the county's own share, the employer bears the rest.
    county_top_up: Decimal | None = None
    decision_needed: bool = True  # False: the module is funded "ohne Antrag" (KIM Bausteine 2 and 3)
    programme: str = ""  # the programme's code, for coverage windows by purpose
    # With ``borne_by``: the municipalities' parts of the employer's own share by agreement, in this order.
    splits: tuple[SplitInput, ...] = ()
    # A block without positions (budgeting.engine_lump_sums): what it spends per year, funded or from own funds.
    lump_sums: tuple[LumpSumInput, ...] = ()
    # Pass-throughs of the block's decisions, named on the block: ((recipient, EUR for the decision's period,
    # decision start, decision end), ...). Part of the grant, so they change no figure.
    pass_throughs: tuple = ()
    # A block of the slot-independent lump sums (Jahrespauschalen) of a module whose positions other blocks compute
    # (KIM Baustein 1: events 10.000 €, measures 30.000 € a year, Vorlage 002): paid by the rates in the months the
    # positions are ("kein Bescheid …: Förderung nach den Fördersätzen"), cost-neutral (total cost = grant).
    alongside_positions: bool = False


@dataclass(frozen=True)
class UsageWindow:
    """A coverage source's deadline for one purpose: the blocks of these programmes or modules (codes)."""

    purposes: frozenset
    usable_until: date
    label: str = ""

    def applies_to(self, block: BlockInput) -> bool:
        return block.module in self.purposes or block.programme in self.purposes


@dataclass(frozen=True)
class CoverageSourceInput:
    """Money that pays own shares (Deckungsmittel), e.g. the Integrationspauschale.

    ``balance`` EUR as of ``balance_as_of``; free for new use from ``free_from`` (default: the day after
    ``balance_as_of``; before it, planned uses are commitments the source pays without touching the
    balance). Usable until ``usable_until`` for every purpose without a ``windows`` entry of its own.
    """

    name: str
    balance: Decimal
    usable_until: date | None
    balance_as_of: date | None = None
    free_from: date | None = None
    windows: tuple[UsageWindow, ...] = ()

    @property
    def free_on(self) -> date | None:
        """The first day the balance may be drawn."""
        if self.free_from is not None:
            return self.free_from
        if self.balance_as_of is not None:
            return self.balance_as_of + timedelta(days=1)
        return None

    def until_for(self, block: BlockInput) -> date | None:
        """The deadline for ``block``'s purpose (its window's, else the general one)."""
        for window in self.windows:
            if window.applies_to(block):
                return window.usable_until
        return self.usable_until

    def share_for(self, block: BlockInput, month: date) -> Share:
        """The part of ``month`` in which the source may pay ``block``'s own share."""
        return share_of_month(month, None, self.until_for(block)) if self.until_for(block) else Share(0, 1)

    def usable_in(self, month: date) -> bool:
        """Usable for the general purpose in ``month`` (at least one day)."""
        return self.usable_until is not None and share_of_month(month, None, self.usable_until).days > 0


@dataclass(frozen=True)
class AppropriationInput:
    """An appropriation (Haushaltsansatz) in EUR on a budget line for a fiscal year."""

    budget_line: str
    fiscal_year: int
    amount: Decimal


@dataclass(frozen=True)
class StatedFigureInput:
    """A figure a paper states for a block (to show the difference to the computed one).

    ``block_key`` ALL_BLOCKS ("*"): the sum over every block of the case; "programm:<code>": over one programme's
    blocks. ``field``: one of STATED_FIELD_LABELS.
    """

    block_key: str
    field: str
    amount: Decimal
    source: str = ""


@dataclass(frozen=True)
class CalculationInput:
    """One case (base case or scenario) for one county and one period of whole months."""

    name: str
    start: date
    end: date
    blocks: tuple[BlockInput, ...]
    workplace_costs: dict  # pay grade -> {year: annual cost per FTE}
    sources: tuple[CoverageSourceInput, ...] = ()
    appropriations: tuple[AppropriationInput, ...] = ()
    stated: tuple[StatedFigureInput, ...] = ()


# --------------------------------------------------------------------------- output


@dataclass(frozen=True)
class Line:
    """One line of a block with its arithmetic, as a report prints it."""

    field: str
    label: str
    quantity: Decimal | None
    unit_amount: Decimal | None
    amount: Decimal
    text: str
    detail: str = ""
    source: str = ""  # where a lump sum's amount comes from: a rate's source, "Bescheid vom …", "Haushaltsansatz …"


@dataclass
class MonthFigures:
    """A block's figures (EUR) in one month; ``covered`` maps a source or appropriation to what it pays."""

    month: date
    total: Decimal = ZERO
    grant: Decimal = ZERO
    third_party: Decimal = ZERO
    own_share: Decimal = ZERO
    covered: dict = field(default_factory=dict)  # source name -> amount
    uncovered: Decimal = ZERO


@dataclass
class BlockResult:
    """A block's figures for the period (EUR), its arithmetic lines and its months.

    ``limits``: which limit bound the grant, as text ("begrenzt durch Bescheid vom 22.02.2021:
    1,5 Förderstellen"); ``notes``: what the grant rests on where no decision does ("ohne Bescheid …").
    """

    key: str
    label: str
    module: str
    fte: Decimal
    units: Decimal
    lines: list[Line]
    months: list[MonthFigures]
    total: Decimal = ZERO
    grant: Decimal = ZERO
    third_party: Decimal = ZERO
    own_share: Decimal = ZERO
    borne_by: str | None = None
    budget_line: str | None = None
    # With ``borne_by``: who bears the third-party amount, EUR (the employer and the municipalities sharing it).
    parties: dict[str, Decimal] = field(default_factory=dict)
    limits: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    programme: str = ""
    lump_sum: bool = False  # a block without positions (budgeting.engine_lump_sums)
    # The grant by cost type (personnel, material, events, measures; EUR), adding up to ``grant``.
    grant_by_cost_type: dict[str, Decimal] = field(default_factory=dict)
    alongside_positions: bool = False  # BlockInput.alongside_positions: cost-neutral lump sums beside positions
    grant_unsplit: Decimal = ZERO  # part of ``grant`` from decided amounts not split by cost type (LumpSumInput)

    @property
    def sources(self) -> list[str]:
        """The sources of the block's lump-sum lines, each once, in order."""
        return list(dict.fromkeys(line.source for line in self.lines if line.source))

    @property
    def uncovered(self) -> Decimal:
        return sum((m.uncovered for m in self.months), ZERO)

    @property
    def covered(self) -> dict:
        totals: dict = defaultdict(lambda: ZERO)
        for m in self.months:
            for name, amount in m.covered.items():
                totals[name] += amount
        return dict(totals)

    def figure(self, name: str) -> Decimal:
        """A field (FIELDS) or a grant by cost type ("grant_personnel", "grant_material"), EUR."""
        if name == "grant_personnel":
            return self.grant_by_cost_type.get("personnel", ZERO)
        if name == "grant_material":
            return sum((a for t, a in self.grant_by_cost_type.items() if t != "personnel"), ZERO)
        return getattr(self, name)


@dataclass(frozen=True)
class Difference:
    """A figure stated in a paper against the computed one."""

    block_key: str
    block_label: str
    field: str
    stated: Decimal
    computed: Decimal
    source: str
    explanation: str = ""  # why the computed figure differs (budgeting.calculations.stated_explanation)

    @property
    def difference(self) -> Decimal:
        return self.stated - self.computed

    @property
    def text(self) -> str:
        sign = "+" if self.difference > 0 else ""
        return (
            f"{self.block_label}, {STATED_FIELD_LABELS[self.field]}: laut Vorlage {format_money(self.stated)}, "
            f"berechnet {format_money(self.computed)}, Differenz {sign}{format_money(self.difference)}"
            + (f" ({self.source})" if self.source else "")
        )


@dataclass
class SourceUsage:
    """What a coverage source paid per month (EUR): drawn from its balance, and committed before it was free."""

    name: str
    opening_balance: Decimal
    usable_until: date | None
    used: dict = field(default_factory=dict)  # month -> amount drawn from the balance
    committed: dict = field(default_factory=dict)  # month -> amount paid as planned before the balance date
    drawn_before: Decimal = ZERO  # drawn between the balance date and the period's start
    free_from: date | None = None

    @property
    def closing_balance(self) -> Decimal:
        return self.opening_balance - self.drawn_before - sum(self.used.values(), ZERO)


@dataclass
class CalculationResult:
    """One case's blocks, sources and differences for the period."""

    name: str
    start: date
    end: date
    months: list[date]
    blocks: list[BlockResult]
    sources: list[SourceUsage]
    differences: list[Difference]

    @property
    def month_count(self) -> int:
        return len(self.months)

    def total(self, name: str) -> Decimal:
        return sum((b.figure(name) for b in self.blocks), ZERO)

    @property
    def unplanned_provision(self) -> Decimal:
        """What no coverage source pays: the overspend risk the treasurer must find."""
        return sum((b.uncovered for b in self.blocks), ZERO)

    def block(self, key: str) -> BlockResult:
        for b in self.blocks:
            if b.key == key:
                return b
        raise KeyError(key)


@dataclass
class Comparison:
    """Cases side by side; the risk range runs from the smallest to the largest unplanned provision."""

    results: list[CalculationResult]

    @property
    def risk_low(self) -> Decimal:
        return min(r.unplanned_provision for r in self.results)

    @property
    def risk_high(self) -> Decimal:
        return max(r.unplanned_provision for r in self.results)

    @property
    def risk_range_text(self) -> str:
        if self.risk_low == self.risk_high:
            return format_money(self.risk_low)
        return f"{format_money(self.risk_low)} – {format_money(self.risk_high)}"
