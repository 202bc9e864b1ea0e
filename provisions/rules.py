"""Who decides an unplanned provision: the value limits of a county's budget statute, as pure rules.

§ 83 GO NRW (applied to counties through the Kreisordnung): an unplanned provision (überplanmäßige
Aufwendung oder Auszahlung) is allowed only when it is unavoidable and its coverage is secured; the
treasurer (Kämmerer/in) decides on it, and a provision that is "erheblich" needs the council's prior
consent. What counts as "erheblich" — and often who decides below it — each county sets in its budget
statute (Haushaltssatzung), as stages with an upper limit and a deciding body:

- Rhein-Kreis Neuss: "unerheblich" up to and including 5.000 € for voluntary and 250.000 € for
  mandatory spending (the treasurer); above, the Kreistag;
- a city: up to 500 € the department, up to 2.500 € the treasurer, up to 30.000 € the mayor, above
  the council;
- a Städteregion: 40.000 €.

A limit "bis" includes its amount (DOMAIN.md, "Rules real counties need"): exactly 5.000,00 € of
voluntary spending is the treasurer's in Neuss, 5.000,01 € the council's. Amounts are euros as
Decimals (never floats), compared in cents. No ORM and no request: the models, the forms and the risk
report call these functions.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from kimportal.money import format_money, round_cent, to_decimal

VOLUNTARY = "voluntary"
MANDATORY = "mandatory"
ALL = "all"  # a stage recorded once for voluntary and mandatory spending alike
KINDS = (VOLUNTARY, MANDATORY, ALL)
KIND_LABELS = {VOLUNTARY: "freiwillig", MANDATORY: "pflichtig", ALL: "freiwillig und pflichtig"}
KIND_PHRASES = {VOLUNTARY: "freiwillige Aufwendungen", MANDATORY: "pflichtige Aufwendungen",
                ALL: "freiwillige und pflichtige Aufwendungen"}

# The bodies of today's single value limit (County.council_threshold until 2025), kept for its conversion.
TREASURER = "Kämmerer/in"
COUNCIL = "Kreistag / Kreisausschuss"


class NoStagesError(LookupError):
    """The county has recorded no stages for this kind of spending."""


@dataclass(frozen=True)
class Stage:
    """One stage of a budget statute: up to ``upper_limit`` euros (inclusive) ``body`` decides.

    ``upper_limit`` None is the open last stage: every amount above the previous stage, usually the
    council's prior consent (§ 83 Abs. 2 GO NRW). ``label`` is the statute's own word ("unerheblich").
    """

    kind: str
    upper_limit: Decimal | None
    body: str
    label: str = ""

    @property
    def is_open(self) -> bool:
        return self.upper_limit is None


def _sort_key(stage: Stage) -> tuple:
    return (stage.upper_limit is None, stage.upper_limit if stage.upper_limit is not None else Decimal(0))


def applicable_stages(kind: str, stages: Iterable[Stage]) -> tuple[Stage, ...]:
    """The stages deciding spending of ``kind``, ascending with the open stage last: the kind's own
    stages, or else those recorded for both kinds."""
    stages = list(stages)
    own = [stage for stage in stages if stage.kind == kind]
    chosen = own or [stage for stage in stages if stage.kind == ALL]
    return tuple(sorted(chosen, key=_sort_key))


def who_decides(amount, kind: str, stages: Iterable[Stage]) -> Stage:
    """The stage that decides an unplanned provision of ``amount`` euros of ``kind`` spending.

    ``amount``: euros as a Decimal (or a string), rounded to cents half up; a float is refused
    (TypeError), and so is a negative amount (ValueError): a provision is never negative.
    ``kind``: VOLUNTARY or MANDATORY — the kind of the spending, not of a stage.
    ``stages``: the county's stages, in any order (a set with errors, see ``stage_errors``, is refused).
    The first stage whose upper limit is at least the amount decides ("bis" includes its amount,
    DOMAIN.md); above every limit the open last stage does (§ 83 Abs. 2 GO NRW: the council).
    Raises NoStagesError where the county has recorded no stages for ``kind``.
    """
    if kind not in (VOLUNTARY, MANDATORY):
        raise ValueError(f"Die Art der Aufwendung ist freiwillig oder pflichtig, nicht {kind!r}.")
    value = to_decimal(amount)
    if value < 0:
        raise ValueError(f"Eine überplanmäßige Bereitstellung ist nie negativ: {format_money(value, 2)}.")
    value = round_cent(value)
    stages = list(stages)
    errors = stage_errors(stages, entered_order=False)
    if errors:
        raise ValueError(errors[0])
    ordered = applicable_stages(kind, stages)
    if not ordered:
        raise NoStagesError(f"Für {KIND_PHRASES[kind]} sind keine Wertgrenzen erfasst.")
    return next(stage for stage in ordered if stage.upper_limit is None or value <= stage.upper_limit)


# --------------------------------------------------------------------------- wording


def limit_text(amount: Decimal) -> str:
    """An amount as the statutes write it: 5.000 €, with cents only where there are any (99.999,99 €)."""
    return format_money(amount, 0 if amount == amount.to_integral_value() else 2)


def lower_limit(stage: Stage, stages: Iterable[Stage]) -> Decimal | None:
    """The limit of the stage below ``stage`` (of the same kind), None for the first stage."""
    below = [s.upper_limit for s in stages if s.kind == stage.kind and s.upper_limit is not None
             and (stage.upper_limit is None or s.upper_limit < stage.upper_limit)]
    return max(below) if below else None


def range_text(stage: Stage, stages: Iterable[Stage]) -> str:
    """The amounts a stage covers: "bis einschließlich 5.000 €", "über 500 € bis einschließlich 2.500 €",
    "über 5.000 €", or "jeder Betrag" for a statute of one open stage."""
    lower = lower_limit(stage, stages)
    if stage.upper_limit is None:
        return f"über {limit_text(lower)}" if lower is not None else "jeder Betrag"
    upper = f"bis einschließlich {limit_text(stage.upper_limit)}"
    return f"über {limit_text(lower)} {upper}" if lower is not None else upper


def stage_text(stage: Stage, stages: Iterable[Stage]) -> str:
    """A stage as the risk report names it: "bis einschließlich 5.000 € (freiwillig, unerheblich): Kämmerer/in"."""
    notes = [KIND_LABELS[stage.kind]] if stage.kind != ALL else []
    if stage.label:
        notes.append(stage.label)
    suffix = f" ({', '.join(notes)})" if notes else ""
    return f"{range_text(stage, stages)}{suffix}: {stage.body}"


# --------------------------------------------------------------------------- validation


def stage_errors(stages: Sequence[Stage], *, entered_order: bool = True) -> list[str]:
    """What is wrong with a county's stages, in German; empty where they are a valid statute.

    Per kind: limits above 0 €, none twice, exactly one open last stage; stages for both kinds and
    stages for one kind exclude each other; every stage names who decides. With ``entered_order``
    the stages must also stand in ascending order as given (as the statute lists them), the open
    stage last: a form refuses 30.000 € before 2.500 € instead of guessing what was meant.
    """
    errors: list[str] = []
    if any(not stage.body.strip() for stage in stages):
        errors.append("Bitte bei jeder Stufe angeben, wer entscheidet.")
    if any(stage.upper_limit is not None and stage.upper_limit <= 0 for stage in stages):
        errors.append("Die Obergrenze einer Stufe muss über 0 € liegen; die letzte Stufe bleibt ohne Obergrenze.")
    kinds = [kind for kind in KINDS if any(stage.kind == kind for stage in stages)]
    if ALL in kinds and len(kinds) > 1:
        errors.append("Stufen für freiwillige und pflichtige Aufwendungen gemeinsam und Stufen nur für eine Art "
                      "schließen sich aus: bitte entweder gemeinsame Stufen oder je Art eigene Stufen erfassen.")
    for kind in kinds:
        own = [stage for stage in stages if stage.kind == kind]
        phrase = KIND_PHRASES[kind]
        limits = [stage.upper_limit for stage in own if stage.upper_limit is not None]
        for limit in sorted({limit for limit in limits if limits.count(limit) > 1}):
            errors.append(f"Die Obergrenze {limit_text(limit)} steht bei den Stufen für {phrase} mehr als einmal.")
        open_stages = sum(1 for stage in own if stage.upper_limit is None)
        if open_stages == 0:
            errors.append(f"Bei den Stufen für {phrase} fehlt die letzte Stufe ohne Obergrenze (alle Beträge "
                          "darüber, in der Regel der Kreistag bzw. Rat).")
        elif open_stages > 1:
            errors.append(f"Bei den Stufen für {phrase} ist mehr als eine Stufe ohne Obergrenze; nur die letzte "
                          "Stufe bleibt ohne Obergrenze.")
        if entered_order and open_stages == 1 and own[-1].upper_limit is not None:
            errors.append(f"Die Stufe ohne Obergrenze muss die letzte der Stufen für {phrase} sein.")
        if entered_order:
            for before, after in zip(limits, limits[1:]):
                if after < before:
                    errors.append(f"Bitte die Stufen für {phrase} aufsteigend eintragen: {limit_text(after)} "
                                  f"steht nach {limit_text(before)}.")
                    break
    return errors
