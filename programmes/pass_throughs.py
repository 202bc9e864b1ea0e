"""Pass-through rules (Weiterleitung an Dritte, Nr. 12 VV zu § 44 LHO): plain data in, messages out; no ORM.

A county may hand part of a grant on to a first recipient (a town, a welfare organisation), and that first
recipient on to a final recipient (county → Stadt Troisdorf → Caritas): two levels, never more. The rules:

- Pass-through is allowed only where the grant decision permits it; a first recipient passes on only where
  the decision also permits the second level (Nr. 12 VV zu § 44 LHO).
- The first level never adds up to more than the decision's amount; what a first recipient passes on never
  adds up to more than it receives. The sums are in euros (Decimal), a missing amount counts as nothing.
- The limit is the amount the decision states. Without one the sum cannot be checked and is only warned
  about: an amount derived from the granted slots × the rates would be a cap ("bis zu"), not what the
  decision grants, and a user's entry is never refused on an estimate.
- A final recipient differs from its first recipient; the first recipient checks its proof of use.

The page's formset, the admin and the service (programmes.services) all check through ``limit_errors``;
the detail page shows ``build_tree``.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kimportal.money import format_money_exact

ZERO = Decimal("0")


def money_text(value: Decimal) -> str:
    """1.000 € or 12.500,50 €: cents only where there are any (kimportal.money.format_money_exact)."""
    return format_money_exact(value)


@dataclass(frozen=True)
class Limits:
    """What the decision allows: its stated ``amount`` in euros (None: not recorded) and its permissions."""

    amount: Decimal | None
    permitted: bool
    second_level_permitted: bool


@dataclass(frozen=True)
class Passing:
    """One pass-through as the rules see it. ``key`` names it (a pk, or a form's index while it is new);
    ``parent`` is the key of the first-level pass-through it continues, None on the first level."""

    key: Hashable
    recipient: str
    amount: Decimal | None = None
    parent: Hashable | None = None
    recipient_id: Hashable | None = None

    @classmethod
    def of(cls, pass_through) -> Passing:
        """From a stored PassThrough (its recipient loaded)."""
        return cls(key=pass_through.pk, recipient=pass_through.recipient.name, amount=pass_through.amount,
                   parent=pass_through.parent_id, recipient_id=pass_through.recipient_id)


def total(rows: Iterable[Passing]) -> Decimal:
    """The sum of the rows' amounts in euros; a row without an amount counts as nothing."""
    return sum((row.amount for row in rows if row.amount is not None), ZERO)


def limit_errors(limits: Limits, rows: Sequence[Passing]) -> list[ValidationError]:
    """Every rule the rows break, as German messages naming the figures; [] if the rows may be saved."""
    errors = []
    by_key = {row.key: row for row in rows}
    first = [row for row in rows if row.parent is None]
    second = [row for row in rows if row.parent is not None]
    if rows and not limits.permitted:
        errors.append(ValidationError(
            _("Der Bescheid lässt keine Weiterleitung an Dritte zu (Nr. 12 VV zu § 44 LHO). Bitte „Weiterleitung "
              "an Dritte zugelassen“ setzen, wenn der Bescheid sie zulässt, oder die Weiterleitungen entfernen."),
            code="not_permitted"))
    elif second and not limits.second_level_permitted:
        errors.append(ValidationError(
            _("Der Bescheid lässt keine Weiterleitung auf zweiter Stufe zu (Nr. 12 VV zu § 44 LHO): %(rows)s."),
            code="second_level_not_permitted",
            params={"rows": ", ".join(f"{row.recipient} über {by_key[row.parent].recipient}" for row in second
                                      if row.parent in by_key)}))
    for row in second:
        parent = by_key.get(row.parent)
        if parent is None:
            errors.append(ValidationError(
                _("Die Weiterleitung an %(recipient)s läuft über eine Weiterleitung, die entfernt wird. Bitte auch "
                  "sie entfernen oder einem anderen Erstempfänger zuordnen."),
                code="parent_removed", params={"recipient": row.recipient}))
        elif parent.parent is not None:
            errors.append(ValidationError(
                _("Die Weiterleitung an %(recipient)s kann nicht über %(via)s laufen, weil %(via)s selbst über "
                  "%(above)s erhält: Weiterleitungen gibt es nur auf zwei Stufen (Kreis → Erstempfänger → "
                  "Letztempfänger)."),
                code="too_deep", params={"recipient": row.recipient, "via": parent.recipient,
                                         "above": by_key[parent.parent].recipient if parent.parent in by_key
                                         else "eine andere Weiterleitung"}))
        elif (row.recipient_id is not None and row.recipient_id == parent.recipient_id) or (
                row.recipient_id is None and row.recipient == parent.recipient):
            errors.append(ValidationError(_("%(recipient)s kann nicht an sich selbst weiterleiten."),
                                          code="same_recipient", params={"recipient": row.recipient}))
    passed_on = total(first)
    if limits.amount is not None and passed_on > limits.amount:
        errors.append(ValidationError(
            _("Die Weiterleitungen (%(passed_on)s) übersteigen den bewilligten Betrag (%(amount)s)."),
            code="over_amount", params={"passed_on": money_text(passed_on), "amount": money_text(limits.amount)}))
    for parent in first:
        onward = total(row for row in second if row.parent == parent.key)
        if parent.amount is not None and onward > parent.amount:
            errors.append(ValidationError(
                _("%(recipient)s leitet %(onward)s weiter, erhält aber nur %(amount)s."),
                code="over_parent", params={"recipient": parent.recipient, "onward": money_text(onward),
                                            "amount": money_text(parent.amount)}))
    return errors


def limit_warnings(limits: Limits, rows: Sequence[Passing]) -> list[str]:
    """Sums that cannot be checked because an amount is not recorded (shown, never refused)."""
    warnings = []
    first = [row for row in rows if row.parent is None]
    if rows and limits.amount is None:
        warnings.append(_("Der bewilligte Betrag ist nicht erfasst: ob die Weiterleitungen (%(passed_on)s) ihn "
                          "einhalten, kann nicht geprüft werden.") % {"passed_on": money_text(total(first))})
    for parent in first:
        onward = [row for row in rows if row.parent == parent.key]
        if onward and parent.amount is None:
            warnings.append(_("Der Betrag der Weiterleitung an %(recipient)s ist nicht erfasst: ob ihre "
                              "Weiterleitungen (%(onward)s) ihn einhalten, kann nicht geprüft werden.")
                            % {"recipient": parent.recipient, "onward": money_text(total(onward))})
    return warnings


# --- what each level passes on and keeps (the decision's detail page) ---------------------------------------


@dataclass
class Level:
    """A pass-through with those passed on from it; ``row`` is the stored PassThrough the page shows."""

    row: object
    amount: Decimal | None
    onward: list[Level] = field(default_factory=list)

    @property
    def passed_on(self) -> Decimal:
        return total(self.onward)

    @property
    def kept(self) -> Decimal | None:
        """What the recipient keeps in euros; None if its amount is not recorded."""
        return None if self.amount is None else self.amount - self.passed_on


@dataclass
class Tree:
    """A decision's pass-throughs by level: the decision's ``amount`` → first recipients → final recipients."""

    amount: Decimal | None
    first_level: list[Level]
    warnings: list[str]
    errors: list[str]

    @property
    def passed_on(self) -> Decimal:
        return total(self.first_level)

    @property
    def kept(self) -> Decimal | None:
        """What the county keeps in euros; None if the decision states no amount."""
        return None if self.amount is None else self.amount - self.passed_on


def build_tree(limits: Limits, pass_throughs: Iterable) -> Tree:
    """The tree of stored pass-throughs (with ``pk``, ``parent_id``, ``amount`` and ``recipient``), in their order;
    a second-level row whose first level is missing stands on the first level. Warnings and broken rules
    (data entered before the rules, or around them) come along for the page to show."""
    rows = list(pass_throughs)
    levels = {row.pk: Level(row, row.amount) for row in rows}
    first_level = []
    for row in rows:
        parent = levels.get(row.parent_id)
        (parent.onward if parent is not None else first_level).append(levels[row.pk])
    passings = [Passing.of(row) for row in rows]
    return Tree(limits.amount, first_level, limit_warnings(limits, passings),
                [message for error in limit_errors(limits, passings) for message in error.messages])
