"""A county's value limits as the papers use them: who decides which unplanned provision (§ 83 GO NRW).

``ProvisionLimits`` holds what provisions.selectors.provision_limits read for one county — the stages of
its budget statute and the kind (voluntary or mandatory) of each module's spending — and answers in the
form the risk report and the "Finanzielle Auswirkungen" box print. Pure: no ORM; amounts in euros.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .rules import (ALL, KIND_LABELS, KIND_PHRASES, MANDATORY, VOLUNTARY, Stage, applicable_stages, range_text,
                    stage_text, who_decides)

SPENDING_KINDS = (VOLUNTARY, MANDATORY)


def stage_key(stage: Stage) -> str:
    """A stage's identity in report data (JSON): its kind and limit."""
    return f"{stage.kind}:{'' if stage.upper_limit is None else stage.upper_limit}"


@dataclass(frozen=True)
class ProvisionLimits:
    """The stages of one county's statute and the kind of spending of each module (by module code).

    A module whose programme has no recorded kind counts as voluntary (``module_kinds`` says whether it
    was recorded): the stricter limits where a statute sets two.
    """

    county: str
    source: str = ""
    stages: tuple[Stage, ...] = ()
    module_kinds: Mapping[str, tuple[str, bool]] = field(default_factory=dict)  # code -> (kind, recorded)
    module_programmes: Mapping[str, str] = field(default_factory=dict)  # code -> programme name

    @property
    def recorded(self) -> bool:
        return bool(self.stages)

    @property
    def distinguishes_kinds(self) -> bool:
        """Whether the statute sets other limits for voluntary than for mandatory spending."""
        return any(stage.kind != ALL for stage in self.stages)

    def kind_of(self, module: str) -> str:
        return self.module_kinds.get(module, (VOLUNTARY, False))[0]

    def kind_recorded(self, module: str) -> bool:
        return self.module_kinds.get(module, (VOLUNTARY, False))[1]

    def stages_for(self, kind: str) -> tuple[Stage, ...]:
        return applicable_stages(kind, self.stages)

    def decide(self, amount: Decimal | None, kind: str) -> dict | None:
        """Who decides a provision of ``amount`` euros of ``kind`` spending; None where nothing is to be
        provided or the county recorded no stages for the kind."""
        if amount is None or amount <= 0 or not self.stages_for(kind):
            return None
        stage = who_decides(amount, kind, self.stages)
        return {
            "council": stage.is_open,  # the open last stage: the council's prior consent (§ 83 Abs. 2 GO NRW)
            "who": stage.body,
            "text": f"{'vorherige Zustimmung' if stage.is_open else 'Entscheidung'} {stage.body}",
            "stage": stage_text(stage, self.stages),
            "range": range_text(stage, self.stages),
            "key": stage_key(stage),
            "kind": kind,
            "kind_label": KIND_LABELS[kind],
        }

    def by_kind(self, items: Iterable[tuple[str, Decimal]]) -> list[dict]:
        """Per kind of spending (voluntary first) the sum of ``items`` — (module code, amount) pairs — and
        who decides it; ``missing`` where the county recorded no stages for that kind."""
        totals: dict[str, Decimal] = {}
        for module, amount in items:
            kind = self.kind_of(module)
            totals[kind] = totals.get(kind, Decimal(0)) + amount
        return [{"kind": kind, "kind_label": KIND_LABELS[kind], "kind_phrase": KIND_PHRASES[kind],
                 "amount": totals[kind], "decision": self.decide(totals[kind], kind),
                 "missing": not self.stages_for(kind)}
                for kind in SPENDING_KINDS if totals.get(kind, Decimal(0)) > 0]

    def columns(self, kinds: Iterable[str]) -> list[dict]:
        """The stages deciding the given kinds of spending, once each (voluntary first, ascending)."""
        wanted, seen, columns = set(kinds), set(), []
        for kind in SPENDING_KINDS:
            if kind not in wanted:
                continue
            for stage in self.stages_for(kind):
                key = stage_key(stage)
                if key not in seen:
                    seen.add(key)
                    notes = [range_text(stage, self.stages)]
                    if stage.kind != ALL:
                        notes.append(KIND_LABELS[stage.kind])
                    if stage.label:
                        notes.append(stage.label)
                    verb = "Zustimmung" if stage.is_open else "Entscheidung"
                    columns.append({"key": key, "text": stage_text(stage, self.stages), "council": stage.is_open,
                                    "who": stage.body, "heading": f"{verb} {stage.body} ({', '.join(notes)})"})
        return columns

    def stage_rows(self) -> list[dict]:
        """Every recorded stage: those for both kinds, then voluntary, then mandatory; each ascending."""
        rows = []
        for kind in (ALL, *SPENDING_KINDS):
            own = [stage for stage in self.stages if stage.kind == kind]
            for stage in applicable_stages(kind, own):
                rows.append({"kind": kind, "kind_label": KIND_LABELS[kind], "text": stage_text(stage, self.stages),
                             "range": range_text(stage, self.stages), "who": stage.body, "label": stage.label,
                             "council": stage.is_open})
        return rows

    def summary(self) -> str:
        """All stages in one line: "bis einschließlich 5.000 € (freiwillig): Kämmerer/in; über 5.000 € …"."""
        return "; ".join(row["text"] for row in self.stage_rows())
