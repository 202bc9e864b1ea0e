"""The demo data (`load_demo`): what the papers say, loadable twice, users only where allowed."""
from datetime import date
from decimal import Decimal
from io import StringIO

from django.apps import apps
from django.core.management import call_command

from budgeting.models import CoverageSource, Scenario
from kimportal import roles
from kimportal.models import County, User
from programmes.models import Application, FocusGoal, GrantDecision
from staffing.models import CaseManagementAllocation, Position

DOMAIN_APPS = ("kimportal", "programmes", "staffing", "budgeting")


def counts():
    return {m._meta.label: m.objects.count() for app in DOMAIN_APPS for m in apps.get_app_config(app).get_models()}


def test_loading_twice_duplicates_nothing(demo_users):
    before = counts()
    call_command("load_demo", verbosity=0)
    assert counts() == before
    assert before["staffing.Position"] >= 19


def test_the_rhein_sieg_kreis_has_19_municipalities_and_neuss_8(demo):
    assert County.objects.get(slug="rhein-sieg-kreis").municipalities.count() == 19
    assert County.objects.get(slug="rhein-kreis-neuss").municipalities.count() == 8


def test_the_allocation_table_gives_35_days_for_7_fte(demo):
    allocation = CaseManagementAllocation.objects.get(code="cm-kommunen-2021")
    assert allocation.capacity_days == Decimal("35")
    assert allocation.allocated_days() == Decimal("35")
    no_demand = set(allocation.shares.filter(no_demand=True).values_list("municipality__name", flat=True))
    assert no_demand == {"Eitorf", "Ruppichteroth", "Siegburg"}
    troisdorf = allocation.shares.get(municipality__name="Troisdorf")
    assert troisdorf.special_arrangement and troisdorf.days == 0
    assert allocation.shares.get(municipality__name="Hennef (Sieg)").days == Decimal("1")


def test_the_positions_of_paper_002(demo):
    rsk = Position.objects.filter(county__slug="rhein-sieg-kreis", module__programme__code="kim")
    filled_cm = rsk.filter(module__code="kim-b2", status=Position.Status.FILLED)
    assert filled_cm.count() == 4
    assert filled_cm.filter(employer__name="Stadt Troisdorf").count() == 1
    assert sum(p.fte for p in rsk.filter(funded_slot__code="kim-b1-koordination")) == Decimal("3.5")
    assert rsk.filter(allocation__code="cm-kommunen-2021").count() == 7
    assert sum(p.fte for p in rsk.filter(module__code="kim-b3")) == Decimal("2.25")


def test_the_integrationspauschale_had_450_000_euros_left_usable_until_30_november_2021(demo):
    source = CoverageSource.objects.get(county__slug="rhein-sieg-kreis", name__startswith="Integrationspauschale")
    assert source.balance == Decimal("450000")
    assert source.balance_as_of == date(2021, 5, 27)
    assert source.usable_until == date(2021, 11, 30)


def test_grant_decisions_carry_their_dates(demo):
    received = set(GrantDecision.objects.filter(county__slug="rhein-sieg-kreis", programme__code="kim")
                   .values_list("received_on", flat=True))
    assert {date(2020, 6, 9), date(2021, 2, 3), date(2021, 2, 22)} <= received


def test_the_baustein_3_variants_and_the_extension_are_scenarios(demo):
    names = list(Scenario.objects.filter(county__slug="rhein-sieg-kreis").values_list("name", flat=True))
    assert names == ["Baustein 3 – Variante 1 (3 × 0,75 VZÄ)", "Baustein 3 – Variante 2 (3 × 1,0 VZÄ)",
                     "Integrationspauschale verlängert bis 30.11.2022"]
    extended = Scenario.objects.get(name="Integrationspauschale verlängert bis 30.11.2022")
    assert [(o.source.name, o.usable_until) for o in extended.coverage_overrides.all()] == [
        ("Integrationspauschale (§ 14c TIntG)", date(2022, 11, 30))]


def test_the_focus_goals_2023_are_due_31_december_2023(demo):
    goals = FocusGoal.objects.filter(county__slug="rhein-sieg-kreis")
    assert goals.count() == 6
    assert set(goals.values_list("due_on", flat=True)) == {date(2023, 12, 31)}
    assert set(goals.values_list("approved_on", flat=True)) == {date(2022, 10, 17)}


def test_neuss_applied_for_kim_and_its_decision_for_2022_belongs_to_the_application(demo):
    application = Application.objects.get(county__slug="rhein-kreis-neuss", programme__code="kim")
    done = {s.kind: s.occurred_on for s in application.steps.all() if s.occurred_on}
    assert done["guideline"] == date(2020, 11, 30)
    assert done["applied"] == date(2020, 12, 22)
    assert done["concept_submitted"] == date(2021, 8, 30)
    # The demo's assumption ("once decided", issue 11): the Baustein 1 decision arrived on 15.12.2021.
    assert done["decision"] == date(2021, 12, 15)
    assert [d.module.code for d in application.grant_decisions.all()] == ["kim-b1"]


def test_every_demo_record_passes_validation(demo):
    for app in DOMAIN_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for obj in model.objects.all():
                obj.full_clean()


def test_one_demo_user_per_role(demo_users):
    expected = {"ki-rsk": roles.KI_STAFF, "finanzen-rsk": roles.FINANCE, "ausschuss-rsk": roles.COMMITTEE,
                "ki-neuss": roles.KI_STAFF, "admin": roles.ADMINISTRATION}
    for username, role in expected.items():
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.check_password("kimportal-demo")
    assert User.objects.get(username="ki-neuss").county.slug == "rhein-kreis-neuss"
    assert User.objects.get(username="admin").is_superuser


def test_no_demo_users_when_debug_is_off(db, settings):
    settings.DEBUG = False
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert not User.objects.exists()
    assert "keine Demo-Benutzer" in out.getvalue()
    call_command("load_demo", "--with-demo-users", stdout=StringIO())
    assert User.objects.count() == 5


def test_the_committee_role_cannot_change_anything(demo_users):
    user = User.objects.get(username="ausschuss-rsk")
    assert not any(p.split(".")[1].startswith(("add_", "change_", "delete_")) for p in user.get_all_permissions())
    ki = User.objects.get(username="ki-rsk")
    assert ki.has_perm("staffing.change_position") and not ki.has_perm("programmes.change_fundingrate")
    finance = User.objects.get(username="finanzen-rsk")
    assert finance.has_perm("budgeting.change_coveragesource") and not finance.has_perm("staffing.change_position")
