"""Which records are rows of another (formset rows, admin inlines) and what history calls them.

Plain data, read by kimportal.history (a record's page) and audit (the audit page). Models are named by
their label, so this module imports no app's models.
"""
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class RowHistory:
    """Rows of a child model shown in the history of their parent.

    ``parent``: the foreign key to the parent; ``label``: the fields naming the row ("municipality" →
    "Alfter"), after ``prefix``; ``main``: the row's main value, whose change reads "Alfter: 2,0 → 1,5 Tage"
    (with ``unit`` and ``places`` decimals) instead of "Alfter, Tage pro Woche: …".
    """

    model: str
    parent: str
    label: tuple[str, ...]
    prefix: str = ""
    main: str | None = None
    unit: str = ""
    places: int | None = None


# Every parent/child pair edited together: the pages' formsets (allocation, grant decision, scenario,
# application steps) and the admin's inlines (kimportal/programmes/staffing/budgeting admin.py).
CHILD_ROWS: dict[str, tuple[RowHistory, ...]] = {
    "staffing.casemanagementallocation": (
        RowHistory("staffing.AllocationShare", "allocation", ("municipality",), main="days", unit="Tage", places=1),
    ),
    "programmes.grantdecision": (
        RowHistory("programmes.GrantedSlot", "decision", ("funded_slot",), prefix="Förderstellen ", main="count"),
        RowHistory("programmes.PassThrough", "decision", ("recipient",), prefix="Weiterleitung an ", main="amount"),
    ),
    "programmes.application": (
        RowHistory("programmes.ApplicationStep", "application", ("kind",), prefix="Schritt "),
    ),
    "budgeting.scenario": (
        RowHistory("budgeting.ScenarioPositionOverride", "scenario", ("position",), prefix="Stellen-Annahme "),
        RowHistory("budgeting.ScenarioCoverageOverride", "scenario", ("source",), prefix="Deckungs-Annahme "),
    ),
    "budgeting.coveragesource": (
        RowHistory("budgeting.CoverageWindow", "source", ("programme", "module"), prefix="Frist ", main="usable_until"),
    ),
    "budgeting.budgetline": (
        RowHistory("budgeting.Appropriation", "budget_line", ("fiscal_year",), prefix="Ansatz ", main="amount"),
    ),
    "staffing.cooperationagreement": (
        RowHistory("staffing.CostSplit", "agreement", ("item",), main="borne_by"),
    ),
    "staffing.position": (
        RowHistory("staffing.OwnShareSplit", "position", ("partner",), prefix="Eigenanteil geteilt mit "),
    ),
    "staffing.paygrade": (
        RowHistory("staffing.WorkplaceCost", "pay_grade", ("year",), prefix="Arbeitsplatzkosten ", main="annual"),
    ),
    "programmes.programme": (
        RowHistory("programmes.Module", "programme", ("name",)),  # named "Baustein 1 – …", "Programmteil I"
    ),
    "programmes.module": (
        RowHistory("programmes.FundedSlot", "module", ("name",), prefix="Förderstelle "),
        RowHistory("programmes.FundingRate", "module", ("cost_type", "funded_slot", "valid_from"),
                   prefix="Fördersatz ", main="amount"),
    ),
    "kimportal.county": (
        RowHistory("kimportal.Municipality", "county", ("name",)),
    ),
    "rollover.rollover": (  # the year-end rollover's copied appropriations (rollover.admin)
        RowHistory("rollover.RolloverAppropriation", "rollover", ("budget_line", "fiscal_year"), prefix="Ansatz ",
                   main="amount"),
    ),
    "rollover.expecteddecision": (
        RowHistory("rollover.ExpectedSlot", "decision", ("funded_slot",), prefix="Förderstellen ", main="count"),
    ),
    "provisions.provisionstatute": (
        RowHistory("provisions.ProvisionStage", "statute", ("spending_kind", "upper_limit"), prefix="Stufe ",
                   main="body"),
    ),
}

# How the audit page names a record that is nobody's row: its parts, "a|b" the first filled one, "f:%Y" a
# date's format. Without an entry: its name, title or user name.
OBJECT_LABELS: dict[str, tuple[str, ...]] = {
    "programmes.grantdecision": ("module|programme", "period_start:%Y"),
    "programmes.focusgoal": ("number", "title"),
    "staffing.cooperationagreement": ("municipality", "valid_from"),
    "budgeting.budgetline": ("code", "name"),
    "budgeting.statedfigure": ("block_key", "field", "period_start:%Y"),
    "reports.reportsetup": ("report",),
    "provisions.provisionstatute": ("county",),
    "provisions.programmespendingkind": ("programme", "spending_kind"),
    "kimportal.user": ("username",),
}

FIELD_LABELS: dict[tuple[str, str], str] = {
    ("kimportal.user", "groups"): "Rollen",
}

@cache
def _by_child() -> dict[str, tuple[str, RowHistory]]:
    return {spec.model.lower(): (parent, spec) for parent, specs in CHILD_ROWS.items() for spec in specs}


def row_spec(model) -> RowHistory | None:
    """The RowHistory of ``model`` if it is a row of another record, else None."""
    found = _by_child().get(model._meta.label_lower)
    return found[1] if found else None


def parent_label(model) -> str | None:
    """The parent model's label ("staffing.casemanagementallocation") of a row model, else None."""
    found = _by_child().get(model._meta.label_lower)
    return found[0] if found else None
