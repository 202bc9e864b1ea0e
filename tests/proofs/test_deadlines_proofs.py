"""Proofs of use on the deadlines page (issue 12 §5): due, submitted or checked, one entry each, linked to its page."""
from datetime import date

import pytest

from budgeting.models import CoverageSource
from kimportal import deadlines
from kimportal.models import County
from programmes.models import GrantDecision
from proofs.models import ProofOfUse

pytestmark = pytest.mark.usefixtures("demo")

AFTER = date(2023, 8, 1)  # after both demo deadlines (31.03.2023 and 30.06.2023)


@pytest.fixture
def rsk():
    return County.objects.get(slug="rhein-sieg-kreis")


def proofs_due(county, today=AFTER):
    return [d for d in deadlines.upcoming_deadlines(county, today=today) if d.kind == deadlines.PROOF_OF_USE_DUE]


def test_the_integrationspauschale_was_submitted_in_time_and_is_not_overdue(rsk):
    source = CoverageSource.objects.get(county=rsk, name="Integrationspauschale (§ 14c TIntG)")
    [item] = [d for d in proofs_due(rsk) if d.title.startswith("Integrationspauschale")]
    assert (item.date, item.title, item.overdue, item.url) == (
        date(2023, 3, 31), "Integrationspauschale (§ 14c TIntG) (eingereicht am 29.03.2023)", False,
        f"/verwendungsnachweise/deckungsmittel/{source.pk}/")


def test_kim_baustein_2_for_2022_is_overdue_and_listed_once(rsk):
    items = [d for d in proofs_due(rsk) if d.url == "/verwendungsnachweise/bescheid/5/2022/"]
    assert [(d.date, d.overdue) for d in items] == [(date(2023, 6, 30), True)]
    assert items[0].title == "Zuwendungsbescheid Baustein 2 – Case Management 2022"
    # The decision's own date and its stored proof are one entry, not two
    assert len([d for d in proofs_due(rsk) if d.date == date(2023, 6, 30)]) == 1


def test_a_checked_proof_says_so_and_is_not_overdue(rsk):
    ProofOfUse.objects.filter(decision_id=5, fiscal_year=2022).update(
        submitted_on=date(2023, 7, 3), checked_on=date(2023, 7, 20))
    [item] = [d for d in proofs_due(rsk) if d.url == "/verwendungsnachweise/bescheid/5/2022/"]
    assert (item.date, item.overdue) == (date(2023, 6, 30), False)
    assert item.title.endswith("(geprüft am 20.07.2023)")


def test_an_interim_proof_has_its_own_entry_beside_the_decisions_final_one(rsk):
    decision = GrantDecision.objects.get(county=rsk, programme__code="guter-lebensabend")  # 2021–2022
    GrantDecision.objects.filter(pk=decision.pk).update(proof_of_use_due=date(2023, 6, 30))
    ProofOfUse.objects.create(county=rsk, decision=decision, fiscal_year=2021, due_on=date(2022, 4, 30),
                              submitted_on=date(2022, 4, 20))
    items = sorted((d.date, d.title, d.overdue, d.url) for d in proofs_due(rsk) if str(decision.pk) in (d.url or ""))
    base = f"/verwendungsnachweise/bescheid/{decision.pk}"
    assert items == [
        (date(2022, 4, 30), f"Zuwendungsbescheid {decision}, Zwischennachweis 2021 (eingereicht am 20.04.2022)",
         False, f"{base}/2021/"),
        (date(2023, 6, 30), f"Zuwendungsbescheid {decision}", True, f"{base}/2022/"),
    ]
    # Once the final proof is stored, it stands for the decision's date: still one entry on 30.06.2023
    ProofOfUse.objects.create(county=rsk, decision=decision, fiscal_year=2022, submitted_on=date(2023, 6, 1))
    final = [d for d in proofs_due(rsk) if d.url == f"{base}/2022/"]
    assert [(d.date, d.overdue, d.title.endswith("(eingereicht am 01.06.2023)")) for d in final] == [
        (date(2023, 6, 30), False, True)]


def test_a_proof_with_a_date_of_its_own_is_listed_where_the_decision_names_none(rsk):
    decision = GrantDecision.objects.get(county=rsk, programme__code="guter-lebensabend")
    ProofOfUse.objects.create(county=rsk, decision=decision, fiscal_year=2022, due_on=date(2023, 6, 30))
    [item] = [d for d in proofs_due(rsk) if d.url == f"/verwendungsnachweise/bescheid/{decision.pk}/2022/"]
    assert (item.date, item.overdue, item.title) == (date(2023, 6, 30), True, f"Zuwendungsbescheid {decision}")


def test_more_proofs_cost_no_more_queries(rsk, django_assert_num_queries):
    with django_assert_num_queries(8):
        deadlines.upcoming_deadlines(rsk, today=AFTER)
    for decision in GrantDecision.objects.filter(county=rsk).exclude(pk=5):
        ProofOfUse.objects.create(county=rsk, decision=decision, fiscal_year=decision.period_end.year,
                                  due_on=date(2023, 6, 30))
    with django_assert_num_queries(8):
        items = proofs_due(rsk)
    assert len(items) >= 10
