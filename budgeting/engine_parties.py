"""Who bears the own share of a post a partner employs: the employer and the municipalities sharing it (pure).

DOMAIN.md "Who bears what": the employer of a partner-employed post bears what cost leaves after the
grant and the county's top-up; one town may employ for several municipalities, which take their parts by
agreement (staffing.splits): a fraction of the employer's own share (days ÷ (VZÄ × 5), or a percentage),
and/or up to an amount a year. Each part is rounded to whole euros half up, capped pro rata
(``period_amount``: the annual amount × n/12, × days/days of the month for a part month) and never more
than what is left; the employer bears the rest.
"""
from __future__ import annotations

from decimal import Decimal

from kimportal.money import format_money, round_euro

from .engine_types import ZERO, BlockInput, Line
from .periods import period_amount


def employer_lines(block: BlockInput, shares, amount: Decimal, n: int, suffix: str, arithmetic: str
                   ) -> tuple[list[Line], dict[str, Decimal]]:
    """The third-party lines of a partner-employed block's segment and what each party bears (EUR).

    ``shares``: the segment's month shares (budgeting.periods.Share), one per group of positions;
    ``amount``: the employer's own share for the segment (cost − grant − top-up, EUR), ``n`` its months;
    ``arithmetic``: how ``amount`` came about, for the employer's line. Without splits the employer bears
    everything: one line, as before.
    """
    employer = block.borne_by
    if not block.splits:
        return [Line("third_party", f"Eigenanteil trägt {employer}{suffix}", None, None, amount, arithmetic)], \
            {employer: amount}
    lines, parties, left = [], {}, amount
    for split in block.splits:
        parts = []
        if split.fraction is not None:
            part = round_euro(amount * split.fraction)
            parts.append(f"{split.basis.split(',')[0]} von {format_money(amount)} = {format_money(part)}")
        else:
            part = left
        if split.annual_cap is not None:
            cap = sum((period_amount(split.annual_cap, n, share) for share in shares), ZERO)
            if part > cap:
                parts.append(f"höchstens {format_money(split.annual_cap)} je Jahr × {n}/12"
                             f"{_part_text(shares)} = {format_money(cap)}")
                part = cap
            elif split.fraction is None:
                parts.append(f"bis zu {format_money(split.annual_cap)} je Jahr × {n}/12{_part_text(shares)} "
                             f"= {format_money(cap)}, Eigenanteil {format_money(left)}")
        part = max(min(part, left), ZERO)
        left -= part
        parties[split.party] = parties.get(split.party, ZERO) + part
        lines.append(Line("third_party", f"Anteil {split.party} ({split.basis}){suffix}", None, None, part,
                          "; ".join(parts) + f" → {format_money(part)}"))
    parties[employer] = left
    lines.insert(0, Line("third_party", f"Eigenanteil des Anstellungsträgers {employer}{suffix}", None, None,
                         amount, arithmetic))
    shared = " − ".join(format_money(line.amount) for line in lines[1:])
    lines.append(Line("third_party", f"davon trägt {employer}{suffix}", None, None, left,
                      f"{format_money(amount)} − {shared} = {format_money(left)}"))
    return lines, parties


def _part_text(shares) -> str:
    texts = [share.text for share in shares if not share.whole]
    return f" × {texts[0]}" if len(texts) == 1 and len(shares) == 1 else ""
