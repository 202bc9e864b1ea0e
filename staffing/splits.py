"""How the own share of a post a town employs for several municipalities is split between them (pure, no ORM).

DOMAIN.md "Who bears what": one town may employ case management for several towns, whose own shares are
split by their agreement (a town employs 2,5 VZÄ for four towns; one VZÄ serves two towns at about half
each, the second budgeting up to 5.000 € a year: Nottuln for its half of a post employed by Dülmen).

The employer bears the own share of its post (what cost leaves after the grant and a county top-up); an
agreement hands part of it to the municipalities the post serves. A municipality's part is

- by days: its days of the post's working week ÷ (VZÄ × 5), of the employer's own share;
- by a fixed share: its percentage of the employer's own share;
- by a capped amount: up to an amount in EUR a year (pro rata for part years and part months), alone
  ("bis zu 5.000 € je Jahr") or as the ceiling of days or a share ("50 %, höchstens 5.000 € je Jahr").

The employer bears the rest. A municipality's part never exceeds what is left of the employer's own share.
The rows are checked here (``split_errors``), by the position page's formset and by the admin's inline.
"""
from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from kimportal.money import format_fte, format_money, format_number

DAYS_PER_FTE = Decimal("5")
HUNDRED = Decimal("100")
ZERO = Decimal("0")


@dataclass(frozen=True)
class SplitRow:
    """One municipality's part by agreement: ``days`` of the post's working week or ``percent`` of the
    employer's own share (at most one of them), and/or at most ``annual_amount`` EUR a year."""

    party: str
    days: Decimal | None = None
    percent: Decimal | None = None
    annual_amount: Decimal | None = None
    party_id: Hashable | None = None

    def fraction(self, fte: Decimal) -> Decimal | None:
        """The part of the employer's own share (0..1) for a post of ``fte`` VZÄ; None for an amount only."""
        if self.days is not None:
            return self.days / (fte * DAYS_PER_FTE) if fte > 0 else ZERO
        if self.percent is not None:
            return self.percent / HUNDRED
        return None

    def basis_text(self, fte: Decimal) -> str:
        """What the agreement says, as the page and the engine's arithmetic print it:
        "2,5 von 5 Tagen", "50 %", "bis zu 5.000 € je Jahr", "50 %, höchstens 5.000 € je Jahr"."""
        parts = []
        if self.days is not None:
            parts.append(f"{format_fte(self.days)} von {format_fte(fte * DAYS_PER_FTE)} Tagen")
        elif self.percent is not None:
            parts.append(f"{format_number(self.percent, 0 if self.percent == self.percent.to_integral_value() else 2)} %")
        if self.annual_amount is not None:
            word = "höchstens" if parts else "bis zu"
            parts.append(f"{word} {format_money(self.annual_amount)} je Jahr")
        return ", ".join(parts)


def split_errors(*, fte: Decimal | None, employer: str | None, employer_id: Hashable | None,
                 rows: Sequence[SplitRow]) -> list[str]:
    """Every rule the rows break for a post of ``fte`` VZÄ employed by ``employer``, as German messages;
    [] if they may be saved."""
    if not rows:
        return []
    if employer is None:
        return ["Den Eigenanteil teilen sich Kommunen nur bei Stellen eines anderen Anstellungsträgers; bei "
                "eigenen Stellen trägt der Kreis ihn. Bitte den Anstellungsträger wählen oder die Aufteilung "
                "entfernen."]
    errors = []
    seen = set()
    for row in rows:
        key = row.party_id if row.party_id is not None else row.party
        if (row.party_id is not None and row.party_id == employer_id) or (row.party_id is None and row.party == employer):
            errors.append(f"{employer} ist Anstellungsträger und trägt den Rest des Eigenanteils; bitte nur die "
                          f"anderen Kommunen eintragen.")
        elif key in seen:
            errors.append(f"{row.party} steht mehrfach in der Aufteilung.")
        seen.add(key)
        if row.days is not None and row.percent is not None:
            errors.append(f"{row.party}: bitte entweder Tage oder einen Anteil in % angeben, nicht beides.")
        elif row.days is None and row.percent is None and row.annual_amount is None:
            errors.append(f"{row.party}: bitte Tage, einen Anteil in % oder einen Betrag je Jahr angeben.")
    if errors or not fte:
        return errors
    days = sum((row.days for row in rows if row.days is not None), ZERO)
    week = fte * DAYS_PER_FTE
    if days > week:
        errors.append(f"Die Tage der Kommunen ({format_fte(days)}) übersteigen die Arbeitswoche der Stelle "
                      f"({format_fte(week)} Tage bei {format_fte(fte)} VZÄ).")
    percent = sum((row.percent for row in rows if row.percent is not None), ZERO)
    if percent > HUNDRED:
        errors.append(f"Die Anteile der Kommunen ({format_number(percent, 2)} %) übersteigen 100 %.")
    whole = sum((row.fraction(fte) or ZERO for row in rows), ZERO)
    if not errors and whole > 1:
        errors.append(f"Tage und Anteile der Kommunen zusammen ({format_number(whole * HUNDRED, 2)} %) übersteigen "
                      f"den ganzen Eigenanteil.")
    return errors
