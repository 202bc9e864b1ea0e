"""The rollover plan as the page's three lists and as the command's lines (German, EUR as 1.234 €)."""
from __future__ import annotations

from kimportal.money import format_fte, format_money, format_money_exact

from .rules import RolloverPlan


def _amount(value) -> str:
    return "Betrag nicht erfasst" if value is None else format_money_exact(value)


def sections(plan: RolloverPlan) -> dict[str, list[dict]]:
    """{"taken": [...], "left_out": [...], "existing": [...]}: rows of ``kind`` (Haushaltsansatz, Stelle,
    Bescheid), ``text`` and ``note``, in the order the page and the command show them."""
    following = plan.target_year
    taken = [dict(kind="Haushaltsansatz", text=f"{a.source.line} {a.source.name}: {_amount(a.amount)} für {following}",
                  note=f"wie {plan.year}") for a in plan.appropriations]
    taken += [dict(kind="Stelle", text=f"{c.position.label} ({format_fte(c.position.fte)} VZÄ)",
                   note=c.note or "läuft weiter") for c in plan.continuing]
    taken += [dict(kind="Bescheid", text=(f"{e.source.name}: erwartet {e.period_start:%d.%m.%Y}–{e.period_end:%d.%m.%Y}, "
                                          f"{_amount(e.amount)}"
                                          + "".join(f", {format_fte(s.count)} × {format_fte(s.nominal_fte)} VZÄ "
                                                    f"{s.name}" for s in e.source.slots)),
                   note="; ".join(filter(None, [f"Annahme wie {e.source.label}", e.flag]))) for e in plan.expected]
    left_out = [dict(kind="Stelle", text=f"{e.position.label} ({format_fte(e.position.fte)} VZÄ)",
                     note=f"endet am {e.end_on:%d.%m.%Y}") for e in plan.ending]
    left_out += [dict(kind="Bescheid", text=f"{s.source.name}: {s.source.label}", note=s.reason) for s in plan.skipped]
    existing = [dict(kind="Haushaltsansatz",
                     text=f"{k.existing.line} {k.existing.name}: {_amount(k.existing.amount)} für {following}",
                     note=f"vorhanden, nicht überschrieben ({plan.year}: {_amount(k.source.amount)})")
                for k in plan.kept_appropriations]
    existing += [dict(kind="Stelle", text=f"{p.label} ({format_fte(p.fte)} VZÄ)",
                      note=f"beginnt am {p.start_on:%d.%m.%Y}") for p in plan.already_planned]
    existing += [dict(kind="Bescheid", text=f"{d.name}: {d.label}", note="vorhanden") for d in plan.existing_decisions]
    return {"taken": taken, "left_out": left_out, "existing": existing}


TITLES = {"taken": "Übernommen", "left_out": "Endet / nicht übernommen", "existing": "Bereits vorhanden"}


def plan_lines(plan: RolloverPlan, drops=()) -> list[str]:
    """The three lists as text lines: a heading with the count, then one line per row; first the warnings of
    ``drops`` (rollover.drops.GrantDrop), if any."""
    lines = [f"Achtung: {drop.text}" for drop in drops]
    for key, rows in sections(plan).items():
        lines.append(f"{TITLES[key]} ({len(rows)}):")
        lines += [f"  {row['kind']}: {row['text']} – {row['note']}" for row in rows] or ["  –"]
    lines.append(f"Summe der übernommenen Haushaltsansätze {plan.target_year}: {format_money(plan.copied_total)}")
    return lines
