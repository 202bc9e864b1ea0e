"""Every model is kept in the admin: each list, search, add and change page renders for a superuser."""
from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from budgeting.models import CoverageSource, Scenario, ScenarioCoverageOverride, ScenarioPositionOverride, StatedFigure
from kimportal.models import Municipality
from programmes.choices import FieldOfAction, StepKind
from programmes.models import Application, ApplicationStep, FocusGoal, GrantedSlot, PassThrough
from staffing.models import AllocationShare, CaseManagementAllocation, CooperationAgreement, CostSplit, WorkplaceCost
from tasks.models import TaskRun

from .conftest import pass_second_factor
from .factories import (
    make_allocation, make_appropriation, make_county, make_coverage_source, make_funded_slot, make_funding_rate,
    make_grant_decision, make_module, make_municipality, make_partner, make_pay_grade, make_position, make_programme,
    make_superuser,
)

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def kim_data():
    """One record of every model, from the Rhein-Sieg-Kreis' KIM Baustein 2."""
    county = make_county()
    alfter = make_municipality(county=county, name="Alfter")
    caritas = make_partner(county=county)
    programme = make_programme()
    module = make_module(programme=programme)
    slot = make_funded_slot(module=module)
    make_funding_rate(module=module, funded_slot=slot)
    application = Application.objects.create(county=county, programme=programme, module=module,
                                             title="KIM Baustein 2 – 2021")
    ApplicationStep.objects.create(application=application, kind=StepKind.DECISION, occurred_on=date(2021, 2, 3))
    decision = make_grant_decision(county=county, programme=programme, module=module, application=application)
    GrantedSlot.objects.create(decision=decision, funded_slot=slot, count=Decimal("11"), nominal_fte=Decimal("1"))
    PassThrough.objects.create(decision=decision, recipient=caritas, amount=Decimal("27500"))
    FocusGoal.objects.create(county=county, field_of_action=FieldOfAction.KIM, title="Case Management ausbauen",
                             text="Alle Kommunen mit Bedarf erhalten CM.", due_on=date(2023, 12, 31))
    s12 = make_pay_grade(code="S12")
    WorkplaceCost.objects.create(pay_grade=s12, year=2021, annual=Decimal("95380"), source="KGSt 2021/22")
    allocation = make_allocation(county=county, module=module)
    AllocationShare.objects.create(allocation=allocation, municipality=alfter, days=Decimal("2"))
    agreement = CooperationAgreement.objects.create(county=county, municipality=alfter, allocation=allocation,
                                                    valid_from=date(2021, 12, 1))
    CostSplit.objects.create(agreement=agreement, item=CostSplit.Item.ROOM_MATERIAL,
                             borne_by=CostSplit.BorneBy.PARTNER, annual_per_fte=Decimal("6250"))
    position = make_position(county=county, module=module, pay_grade=s12, title="Case Management Alfter",
                             allocation=allocation)
    appropriation = make_appropriation()
    source = make_coverage_source(county=county)
    scenario = Scenario.objects.create(county=county, name="Integrationspauschale nicht verlängert")
    ScenarioPositionOverride.objects.create(scenario=scenario, position=position, fte=Decimal("0.75"))
    ScenarioCoverageOverride.objects.create(scenario=scenario, source=source, usable_until=date(2021, 11, 30))
    StatedFigure.objects.create(county=county, block_key="kim-b2", period_start=date(2021, 12, 1),
                                period_end=date(2022, 12, 31), field=StatedFigure.Field.OWN_SHARE,
                                amount=Decimal("258820"), source="Vorlage 002, Anlage")
    TaskRun.objects.create(kind=TaskRun.Kind.REPORT, title="Kommunales Integrationsmanagement (KIM), Alfter",
                           county=county, params={"report": "kim"}, status=TaskRun.Status.DONE, progress=100)
    return {"allocation": allocation, "appropriation": appropriation, "alfter": alfter}


@pytest.fixture
def admin_client(client):
    user = make_superuser()
    client.force_login(user)
    pass_second_factor(client, user)
    return client


def test_every_model_of_the_domain_apps_is_registered():
    from django.apps import apps

    for label in ("kimportal", "programmes", "staffing", "budgeting", "tasks"):
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue  # django-simple-history keeps these; their rows show on each object's history page
            assert model in admin.site._registry, model._meta.label


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_the_list_search_add_and_change_pages_render(model, kim_data, admin_client):
    assert admin_client.get(url(model, "changelist")).status_code == 200
    assert admin_client.get(url(model, "changelist"), {"q": "Alfter"}).status_code == 200
    # django-axes' login records are written by logins only: its admin offers no add form.
    assert admin_client.get(url(model, "add")).status_code == (403 if model._meta.app_label == "axes" else 200)
    obj = model._default_manager.first()
    if obj is not None:
        assert admin_client.get(url(model, "change", obj.pk)).status_code == 200


@pytest.mark.django_db
def test_the_municipality_search_finds_alfter_only(admin_client):
    county = make_county()
    make_municipality(county=county, name="Alfter")
    make_municipality(county=county, name="Windeck")
    response = admin_client.get(url(Municipality, "changelist"), {"q": "alf"})
    assert response.status_code == 200
    assert [m.name for m in response.context["cl"].result_list] == ["Alfter"]


@pytest.mark.django_db
def test_lists_show_money_the_german_way(kim_data, admin_client):
    content = admin_client.get(url(CoverageSource, "changelist")).content.decode()
    assert "1.900.000\u00a0€" in content
    assert "450.000\u00a0€" in content


@pytest.mark.django_db
def test_a_list_filtered_by_county_renders(kim_data, admin_client):
    response = admin_client.get(url(CaseManagementAllocation, "changelist"), {"county__id__exact": make_county().pk})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [kim_data["allocation"]]
    assert "2,00 / 35,00" in response.content.decode()


def allocation_form(allocation, shares):
    data = {"name": allocation.name, "code": allocation.code, "county": allocation.county_id,
            "module": allocation.module_id, "capacity_fte": "7,000", "valid_from": "01.12.2021", "valid_until": "",
            "shares-TOTAL_FORMS": len(shares), "shares-INITIAL_FORMS": len(shares),
            "shares-MIN_NUM_FORMS": 0, "shares-MAX_NUM_FORMS": 1000}
    for index, (share, days) in enumerate(shares):
        data |= {f"shares-{index}-id": share.pk, f"shares-{index}-allocation": allocation.pk,
                 f"shares-{index}-municipality": share.municipality_id, f"shares-{index}-days": days,
                 f"shares-{index}-special_arrangement": "", f"shares-{index}-handed_over_to": ""}
    return data


@pytest.mark.django_db
def test_the_admin_refuses_shares_over_capacity_and_saves_nothing(kim_data, admin_client):
    allocation = kim_data["allocation"]
    share = allocation.shares.get()
    response = admin_client.post(url(CaseManagementAllocation, "change", allocation.pk),
                                 allocation_form(allocation, [(share, "36,00")]))
    assert response.status_code == 200
    assert "Die verteilten Tage (36,00) übersteigen die Kapazität von 35,00 Tagen" in response.content.decode()
    share.refresh_from_db()
    allocation.refresh_from_db()
    assert (share.days, allocation.version) == (Decimal("2.00"), 1)


@pytest.mark.django_db
def test_an_admin_save_counts_as_a_change_for_optimistic_locking(kim_data, admin_client):
    allocation = kim_data["allocation"]
    share = allocation.shares.get()
    page = admin_client.get(url(CaseManagementAllocation, "change", allocation.pk)).content.decode()
    assert 'value="7,000"' in page and 'value="2,00"' in page
    response = admin_client.post(url(CaseManagementAllocation, "change", allocation.pk),
                                 allocation_form(allocation, [(share, "3,00")]))
    assert response.status_code == 302
    share.refresh_from_db()
    allocation.refresh_from_db()
    assert (share.days, allocation.version) == (Decimal("3.00"), 2)


@pytest.mark.django_db
def test_a_share_edited_on_its_own_stays_within_capacity(kim_data, admin_client):
    allocation = kim_data["allocation"]
    windeck = make_municipality(name="Windeck")
    response = admin_client.post(url(AllocationShare, "add"), {
        "allocation": allocation.pk, "municipality": windeck.pk, "days": "33,50", "special_arrangement": "",
        "handed_over_to": ""})
    assert response.status_code == 200
    assert "Die verteilten Tage (35,50) übersteigen" in response.content.decode()
    assert not AllocationShare.objects.filter(municipality=windeck).exists()
