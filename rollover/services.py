"""Writes of the rollover: the scenario "Fortschreibung Y+1" first, then the plan (issue 12 §6).

Both run in one transaction each and record history with the user (django-simple-history); any error saves
nothing. Both read the plan afresh from the county's data (rollover.selectors.county_plan), so the lists the page
previews are what is written.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from budgeting.models import Appropriation, Scenario
from kimportal.models import County
from programmes.models import GrantDecision, GrantedSlot

from .models import ExpectedDecision, ExpectedSlot, Rollover, RolloverAppropriation
from .rules import RolloverPlan, RolloverRefused, check_year
from .selectors import county_plan


APPLIED_SUFFIX = " (übernommen)"


def scenario_name(target_year: int) -> str:
    """The rollover scenario's name: "Fortschreibung 2023"."""
    return f"Fortschreibung {target_year}"


def _save(obj, user):
    """full_clean and save, with the user in the history record."""
    obj._history_user = user
    obj.full_clean()
    obj.save()
    return obj


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _rollover(county: County, year: int, user) -> Rollover:
    """The county's rollover of ``year``, created on first use; its row is written first, so that a second
    rollover of the same county and year waits for this transaction (no double writes on SQLite or PostgreSQL)."""
    rollover = Rollover.objects.filter(county=county, year=year).first()
    if rollover is None:
        rollover = _save(Rollover(county=county, year=year), user)
    Rollover.objects.filter(pk=rollover.pk).update(version=F("version") + 1)
    rollover.refresh_from_db()
    return rollover


def rollover_scenario_create(*, county: County, year, user=None) -> tuple[Rollover, RolloverPlan]:
    """Create (or refresh) the scenario "Fortschreibung <Y+1>" carrying the copied appropriations and expected
    decisions of ``year`` as assumptions; the own-share page computes it beside the Planstand.

    Raises RolloverRefused (German, one line) for a bad year, a rollover already in the plan, or a scenario of the
    same name the rollover did not make.
    """
    year = check_year(year)
    try:
        with transaction.atomic():
            rollover = _rollover(county, year, user)
            if rollover.applied_at is not None:
                raise RolloverRefused(f"Die Fortschreibung {year} → {year + 1} ist bereits in den Plan übernommen "
                                      f"(am {timezone.localtime(rollover.applied_at):%d.%m.%Y}).")
            plan = county_plan(county, year)
            scenario = rollover.scenario
            name = scenario_name(year + 1)
            if scenario is None:
                if Scenario.objects.filter(county=county, name=name).exists():
                    raise RolloverRefused(f"Ein Szenario „{name}“ gibt es schon; bitte benennen Sie es um oder "
                                          "löschen Sie es.")
                position = (Scenario.objects.filter(county=county).aggregate(last=Max("position"))["last"] or 0) + 1
                scenario = _save(Scenario(
                    county=county, name=name, position=position,
                    description=(f"Fortschreibung des Plans {year} nach {year + 1}: Haushaltsansätze und erwartete "
                                 f"Bescheide aus {year} als Annahmen (Seite Fortschreibung). Stellen, die 31.12.{year} "
                                 "oder früher enden, fehlen im Folgejahr ohnehin.")), user)
                rollover.scenario = scenario
                _save(rollover, user)
            for row in rollover.decisions.all():
                row._history_user = user
                row.delete()
            for row in rollover.appropriations.all():
                row._history_user = user
                row.delete()
            for copied in plan.appropriations:
                _save(RolloverAppropriation(rollover=rollover, budget_line_id=copied.source.line_id,
                                            fiscal_year=copied.fiscal_year, amount=copied.amount), user)
            for expected in plan.expected:
                row = _save(ExpectedDecision(
                    rollover=rollover, source_id=expected.source.key, programme_id=expected.source.programme_id,
                    module_id=expected.source.module_id, period_start=expected.period_start,
                    period_end=expected.period_end, amount=expected.amount, note=expected.note,
                    flag=expected.flag), user)
                for slot in expected.source.slots:
                    _save(ExpectedSlot(decision=row, funded_slot_id=slot.funded_slot_id, count=slot.count,
                                       nominal_fte=slot.nominal_fte), user)
    except ValidationError as error:
        raise RolloverRefused(f"Nichts gespeichert: {_message(error)}") from None
    except IntegrityError:
        raise RolloverRefused("Nichts gespeichert: jemand hat die Fortschreibung gleichzeitig bearbeitet; "
                              "bitte laden Sie die Seite neu.") from None
    return rollover, plan


@dataclass(frozen=True)
class Applied:
    """What rollover_apply wrote: the appropriations and decisions it created (none on a second run)."""

    plan: RolloverPlan
    appropriations: tuple[Appropriation, ...]
    decisions: tuple[GrantDecision, ...]
    scenario_note: str = ""

    @property
    def created_anything(self) -> bool:
        return bool(self.appropriations or self.decisions)


def rollover_apply(*, county: County, year, user=None) -> Applied:
    """Take the rollover of ``year`` into the plan of ``year + 1``: create the copied appropriations and the
    expected decisions (``expected``: no letter yet, nothing can be called; note "erwartet, Fortschreibung aus
    Y …"), in one transaction with history; then retire the rollover's scenario (_retire_scenario).

    Running it again creates nothing twice: what Y+1 already has is left alone (rollover.rules). Raises
    RolloverRefused (German, one line) for a bad year or any error; then nothing is saved.
    """
    year = check_year(year)
    try:
        with transaction.atomic():
            rollover = _rollover(county, year, user)
            plan = county_plan(county, year)
            appropriations = tuple(
                _save(Appropriation(budget_line_id=copied.source.line_id, fiscal_year=copied.fiscal_year,
                                    amount=copied.amount, note=f"Fortschreibung aus {year}"), user)
                for copied in plan.appropriations)
            decisions = []
            for expected in plan.expected:
                source = GrantDecision.objects.get(pk=expected.source.key)
                decision = _save(GrantDecision(
                    county=county, programme_id=source.programme_id, module_id=source.module_id,
                    authority=source.authority, period_start=expected.period_start, period_end=expected.period_end,
                    amount=expected.amount, note=expected.note, expected=True), user)
                for slot in expected.source.slots:
                    _save(GrantedSlot(decision=decision, funded_slot_id=slot.funded_slot_id, count=slot.count,
                                      nominal_fte=slot.nominal_fte), user)
                decisions.append(decision)
            if rollover.applied_at is None or appropriations or decisions:
                rollover.applied_at, rollover.applied_by = timezone.now(), user
                _save(rollover, user)
            scenario = _retire_scenario(rollover, user)
    except ValidationError as error:
        raise RolloverRefused(f"Nichts gespeichert: {_message(error)}") from None
    except IntegrityError:
        raise RolloverRefused("Nichts gespeichert: jemand hat den Plan gleichzeitig geändert; bitte laden Sie die "
                              "Seite neu.") from None
    return Applied(plan, appropriations, tuple(decisions), scenario)


def _retire_scenario(rollover: Rollover, user) -> str:
    """The rollover's scenario once its assumptions are in the plan: what happened to it, for the message.

    Once applied, the scenario adds nothing (rollover.selectors.scenario_additions) and computes exactly as the
    Planstand; kept, it would stand as a second Planstand in every comparison, the risk range and the papers. So
    it is deleted (with history). Where the finance officer gave it assumptions of its own (positions, cover,
    stated figures), it is a real variant of the new plan: it is kept, renamed "… (übernommen)".
    """
    scenario = rollover.scenario
    if scenario is None:
        return ""
    own = (scenario.position_overrides.exists() or scenario.coverage_overrides.exists()
           or scenario.stated_figures.exists())
    if not own:
        name = scenario.name
        scenario._history_user = user
        scenario.delete()  # Rollover.scenario is SET_NULL
        rollover.scenario = None
        return f"Das Szenario „{name}“ ist entfernt: seine Annahmen stehen jetzt im Plan."
    if scenario.name.endswith(APPLIED_SUFFIX):
        return ""
    renamed = f"{scenario.name}{APPLIED_SUFFIX}"
    if Scenario.objects.filter(county=rollover.county_id, name=renamed).exists():
        return ""
    scenario.name = renamed
    scenario.description = (f"{scenario.description}\n\n" if scenario.description else "") + (
        f"Am {timezone.localdate():%d.%m.%Y} in den Plan übernommen; das Szenario rechnet nur noch mit seinen "
        "eigenen Annahmen (Stellen, Deckung) neben dem Planstand.")
    _save(scenario, user)
    return (f"Das Szenario heißt jetzt „{renamed}“: es behält seine eigenen Annahmen und rechnet sie neben dem "
            "Planstand.")
