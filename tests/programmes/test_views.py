"""The programmes pages as the users of the Rhein-Sieg-Kreis and the Rhein-Kreis Neuss meet them."""
import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from kimportal.models import Partner
from programmes.models import (Application, FocusGoal, GrantDecision, GrantedSlot, PassThrough,
                               Programme)

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"programmes:{name}", args=args)


def kim():
    return Programme.objects.get(code="kim")


def projektmittel():
    return Programme.objects.get(code="rsk-projektmittel")


def neuss_application():
    return Application.objects.get(county__slug="rhein-kreis-neuss")


# Lists and isolation ------------------------------------------------------------------------------------------------

def test_programme_list_shows_the_kim_programme_and_the_countys_projektmittel(ki_rsk):
    response = ki_rsk.get(url("programme_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kommunales Integrationsmanagement (KIM)" in html
    assert "Projektmittel" in html
    assert "eigenes Programm" in html and "Landesprogramm" in html


def test_neuss_user_does_not_see_the_projektmittel_of_the_rhein_sieg_kreis(ki_neuss):
    html = ki_neuss.get(url("programme_list")).content.decode()
    assert "Kommunales Integrationsmanagement (KIM)" in html
    assert "Projektmittel" not in html
    assert ki_neuss.get(url("programme_detail", projektmittel().pk)).status_code == 404


def test_neuss_user_gets_404_on_a_rhein_sieg_grant_decision(ki_neuss):
    decision = GrantDecision.objects.filter(county__slug="rhein-sieg-kreis").first()
    for name in ("grantdecision_detail", "grantdecision_edit", "grantdecision_delete"):
        assert ki_neuss.get(url(name, decision.pk)).status_code == 404
    assert ki_neuss.post(url("grantdecision_delete", decision.pk)).status_code == 404
    assert GrantDecision.objects.filter(pk=decision.pk).exists()


def test_rhein_sieg_user_gets_404_on_the_neuss_application_and_cannot_add_a_step_to_it(ki_rsk):
    application = neuss_application()
    assert ki_rsk.get(url("application_detail", application.pk)).status_code == 404
    response = ki_rsk.post(url("applicationstep_create", application.pk), {"kind": "other", "occurred_on": "01.09.2021"})
    assert response.status_code == 404
    assert application.steps.count() == 4


def test_grant_decision_list_shows_only_the_countys_decisions(ki_neuss, ki_rsk):
    assert "Bezirksregierung Arnsberg" not in ki_neuss.get(url("grantdecision_list")).content.decode()
    html = ki_rsk.get(url("grantdecision_list")).content.decode()
    assert "Guter Lebensabend" in html
    assert "KIM Baustein 1 – Strategische Steuerung" in html  # the county's application


def test_grant_decision_filter_choices_offer_no_programme_of_another_county(ki_neuss):
    response = ki_neuss.get(url("grantdecision_list"))
    programme_choices = [str(p) for p in response.context["filter"].form.fields["programme"].queryset]
    assert "Kommunales Integrationsmanagement (KIM)" in programme_choices
    assert "Projektmittel" not in programme_choices


def test_grant_decision_form_offers_only_the_countys_partners_and_programmes(ki_neuss):
    response = ki_neuss.get(url("grantdecision_create"))
    form = response.context["form"]
    assert "Projektmittel" not in [str(p) for p in form.fields["programme"].queryset]
    partner_form = response.context["formsets"]["pass_throughs"].forms[0]
    assert not partner_form.fields["recipient"].queryset.filter(county__slug="rhein-sieg-kreis").exists()


def test_focus_goal_list_filters_by_field_of_action(ki_rsk):
    response = ki_rsk.get(url("focusgoal_list"), {"field_of_action": "bildung"})
    titles = [row.record.title for row in response.context["table"].rows]
    assert titles == ["Übergang Elementar- / Primarbereich",
                      "Entwicklung außerschulischer Unterstützungsformate für pädagogisches Personal"]


# Permissions --------------------------------------------------------------------------------------------------------

def test_anonymous_user_is_sent_to_login(client, demo):
    response = client.get(url("programme_list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("name,needs_pk", [
    ("programme_create", False), ("programme_edit", True), ("grantdecision_create", False),
    ("grantdecision_edit", True), ("grantdecision_delete", True), ("application_create", False),
    ("application_edit", True), ("applicationstep_create", True), ("focusgoal_create", False),
    ("focusgoal_edit", True), ("focusgoal_delete", True), ("programme_list", False), ("grantdecision_list", False),
])
def test_committee_member_gets_403_on_edit_pages_lists_and_posts(committee_rsk, name, needs_pk):
    pk = {"programme": projektmittel, "grantdecision": lambda: GrantDecision.objects.get(pk=1000),
          "application": lambda: Application.objects.get(pk=1), "applicationstep": lambda: Application.objects.get(pk=1),
          "focusgoal": lambda: FocusGoal.objects.get(pk=1000)}[name.split("_")[0]]().pk
    target = url(name, pk) if needs_pk else url(name)
    assert committee_rsk.get(target).status_code == 403
    assert committee_rsk.post(target, {"name": "x", "title": "x"}).status_code == 403


def test_committee_post_changes_nothing(committee_rsk):
    goal = FocusGoal.objects.get(pk=1000)
    committee_rsk.post(url("focusgoal_delete", goal.pk))
    assert FocusGoal.objects.filter(pk=goal.pk).exists()


def test_ki_user_gets_403_when_editing_or_deleting_a_land_programme(ki_rsk):
    assert ki_rsk.get(url("programme_edit", kim().pk)).status_code == 403
    assert ki_rsk.post(url("programme_delete", kim().pk)).status_code == 403
    assert Programme.objects.filter(code="kim").exists()
    assert ki_rsk.get(url("programme_edit", projektmittel().pk)).status_code == 200


def test_finance_officer_reads_but_cannot_create_a_grant_decision(finance_rsk):
    assert finance_rsk.get(url("grantdecision_detail", 1000)).status_code == 200
    assert finance_rsk.get(url("grantdecision_create")).status_code == 403


# Creating and editing -----------------------------------------------------------------------------------------------

def test_ki_user_creates_an_own_programme_with_german_dates(ki_rsk, rsk):
    response = ki_rsk.post(url("programme_create"), {
        "name": "Integrationspreis 2023", "code": "rsk-integrationspreis", "starts_on": "01.01.2023",
        "ends_on": "31.12.2023"})
    programme = Programme.objects.get(code="rsk-integrationspreis")
    assert response.status_code == 302 and response["Location"] == url("programme_detail", programme.pk)
    assert programme.county == rsk and programme.ends_on == date(2023, 12, 31)


def test_programme_ending_before_it_starts_is_not_saved_and_the_error_stands_at_the_end_field(ki_rsk):
    response = ki_rsk.post(url("programme_create"), {
        "name": "Rückwärts", "code": "rsk-rueckwaerts", "starts_on": "01.01.2023", "ends_on": "31.12.2022"})
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == ["Das Ende darf nicht vor dem Beginn liegen."]
    assert 'id="id_ends_on_errors"' in response.content.decode()
    assert not Programme.objects.filter(code="rsk-rueckwaerts").exists()


def test_an_impossible_date_like_31_11_2021_saves_nothing_and_shows_the_german_error(ki_rsk):
    application = Application.objects.get(pk=1)
    response = ki_rsk.post(url("applicationstep_create", application.pk),
                           {"kind": "concept_submitted", "occurred_on": "31.11.2021"})
    assert response.status_code == 200
    assert response.context["form"].errors["occurred_on"] == ["Bitte ein gültiges Datum eingeben."]
    assert application.steps.count() == 1


def test_recording_an_application_step_shows_it_on_the_timeline_of_the_detail_pages(ki_rsk):
    application = Application.objects.get(pk=1)
    response = ki_rsk.post(url("applicationstep_create", application.pk), {
        "kind": "concept_submitted", "occurred_on": "30.08.2021", "note": "Handlungskonzept eingereicht"})
    assert response.status_code == 302 and response["Location"] == url("application_detail", application.pk)
    step = application.steps.get(kind="concept_submitted")
    assert step.occurred_on == date(2021, 8, 30)
    for page in (url("application_detail", application.pk), url("programme_detail", kim().pk)):
        html = ki_rsk.get(page).content.decode()
        timeline = html[html.index('<ol class="timeline">'):]
        assert "Konzept nachgereicht" in timeline and "am <time datetime=\"2021-08-30\">30.08.2021</time>" in timeline


def test_the_neuss_timeline_shows_the_concept_of_30_08_2021_and_the_decision_in_time(ki_neuss):
    html = ki_neuss.get(url("application_detail", neuss_application().pk)).content.decode()
    assert "30.08.2021" in html and "22.12.2020" in html
    assert "fällig am <time datetime=\"2021-12-31\">31.12.2021</time>" in html and "(überfällig)" not in html


def test_a_step_without_any_date_is_refused(ki_rsk):
    response = ki_rsk.post(url("applicationstep_create", 1), {"kind": "other"})
    assert response.context["form"].errors["occurred_on"] == ["Bitte ein Datum angeben (erledigt am oder fällig am)."]


def grant_decision_post(**overrides):
    data = {
        "programme": kim().pk, "module": kim().modules.get(code="kim-b1").pk, "authority": "Bezirksregierung Arnsberg",
        "issued_on": "15.02.2022", "period_start": "01.01.2022", "period_end": "31.12.2022", "amount": "1.234.567,89",
        "pass_through_permitted": "on",
        "slots-TOTAL_FORMS": "1", "slots-INITIAL_FORMS": "0",
        "slots-0-funded_slot": kim().modules.get(code="kim-b1").funded_slots.get(code="kim-b1-koordination").pk,
        "slots-0-count": "3,5", "slots-0-nominal_fte": "1",
        "pass_throughs-TOTAL_FORMS": "1", "pass_throughs-INITIAL_FORMS": "0",
        "pass_throughs-0-recipient": Partner.objects.get(county__slug="rhein-sieg-kreis", name__startswith="Caritas").pk,
        "pass_throughs-0-amount": "12.500,50",
    }
    data.update(overrides)
    return data


def test_a_grant_decision_is_saved_with_its_slots_and_pass_throughs(ki_rsk):
    response = ki_rsk.post(url("grantdecision_create"), grant_decision_post())
    decision = GrantDecision.objects.get(issued_on=date(2022, 2, 15))
    assert response.status_code == 302
    assert decision.amount == Decimal("1234567.89")
    assert [(s.count, s.nominal_fte) for s in decision.slots.all()] == [(Decimal("3.500"), Decimal("1.000"))]
    assert decision.pass_throughs.get().amount == Decimal("12500.50")
    html = ki_rsk.get(url("grantdecision_detail", decision.pk)).content.decode()
    assert "1.234.567,89\u00a0€" in html and "12.500,50\u00a0€" in html and "3,5" in html


def test_an_invalid_slot_saves_neither_the_decision_nor_its_pass_throughs(ki_rsk):
    before = (GrantDecision.objects.count(), GrantedSlot.objects.count(), PassThrough.objects.count())
    response = ki_rsk.post(url("grantdecision_create"), grant_decision_post(**{"slots-0-count": "0"}))
    assert response.status_code == 200
    assert response.context["formsets"]["slots"].forms[0].errors["count"] == ["Die Anzahl muss größer als 0 sein."]
    assert (GrantDecision.objects.count(), GrantedSlot.objects.count(), PassThrough.objects.count()) == before


def test_a_grant_decision_period_ending_before_it_starts_is_refused_at_the_end_field(ki_rsk):
    response = ki_rsk.post(url("grantdecision_create"), grant_decision_post(period_end="31.12.2021"))
    assert response.context["form"].errors["period_end"] == ["Das Ende des Zeitraums darf nicht vor dem Beginn liegen."]
    assert not GrantDecision.objects.filter(issued_on=date(2022, 2, 15)).exists()


def test_a_module_of_another_programme_is_refused(ki_rsk):
    response = ki_rsk.post(url("application_create"), {
        "programme": projektmittel().pk, "module": kim().modules.get(code="kim-b2").pk, "title": "Falsch"})
    assert response.context["form"].errors["module"] == ["Der Baustein gehört zu einem anderen Programm."]


def test_a_neuss_user_cannot_pick_the_rhein_sieg_projektmittel(ki_neuss):
    response = ki_neuss.post(url("application_create"), {"programme": projektmittel().pk, "title": "Fremd"})
    assert "programme" in response.context["form"].errors
    assert not Application.objects.filter(title="Fremd").exists()


# Delete -------------------------------------------------------------------------------------------------------------

def test_deleting_a_programme_with_grant_decisions_gives_a_german_message_instead_of_a_500(ki_rsk, rsk):
    programme = projektmittel()
    GrantDecision.objects.create(county=rsk, programme=programme, period_start=date(2021, 1, 1),
                                 period_end=date(2021, 12, 31))
    assert "endgültig gelöscht" in ki_rsk.get(url("programme_delete", programme.pk)).content.decode()
    response = ki_rsk.post(url("programme_delete", programme.pk), follow=True)
    assert response.status_code == 200
    assert "kann nicht gelöscht werden" in response.content.decode()
    assert Programme.objects.filter(pk=programme.pk).exists()


def test_deleting_a_focus_goal_after_confirmation(ki_rsk):
    response = ki_rsk.post(url("focusgoal_delete", 1000))
    assert response.status_code == 302 and response["Location"] == url("focusgoal_list")
    assert not FocusGoal.objects.filter(pk=1000).exists()


# Exports ------------------------------------------------------------------------------------------------------------

def test_csv_export_contains_the_filtered_focus_goals(ki_rsk):
    response = ki_rsk.get(url("focusgoal_list"), {"field_of_action": "bildung", "_export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Nr.", "Schwerpunkt"]
    assert [row[1] for row in rows[1:]] == ["Übergang Elementar- / Primarbereich",
                                            "Entwicklung außerschulischer Unterstützungsformate für pädagogisches Personal"]


def test_xlsx_export_contains_the_filtered_grant_decisions(ki_rsk):
    guter_lebensabend = Programme.objects.get(code="guter-lebensabend")
    response = ki_rsk.get(url("grantdecision_list"), {"programme": guter_lebensabend.pk, "_export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][1] == "Guter Lebensabend NRW" or "Guter Lebensabend" in rows[1][1]


def test_list_pages_link_their_exports(ki_rsk):
    html = ki_rsk.get(url("programme_list"), {"kind": "own"}).content.decode()
    assert "?kind=own&amp;_export=csv" in html and "?kind=own&amp;_export=xlsx" in html


# History ------------------------------------------------------------------------------------------------------------

def goal_post(**overrides):
    data = {"field_of_action": "querschnitt", "number": "7", "title": "Sprachmittlerpool ausbauen",
            "text": "Bis zum 31.12.2024 wird der Pool erweitert.", "starts_on": "01.01.2024", "due_on": "31.12.2024",
            "status": "planned"}
    data.update(overrides)
    return data


def test_history_shows_old_and_new_value_after_an_edit(ki_rsk):
    assert ki_rsk.post(url("focusgoal_create"), goal_post()).status_code == 302
    goal = FocusGoal.objects.get(title="Sprachmittlerpool ausbauen")
    assert ki_rsk.post(url("focusgoal_edit", goal.pk), goal_post(status="in_progress", due_on="30.06.2025", version=goal.version)).status_code == 302
    html = ki_rsk.get(url("focusgoal_detail", goal.pk)).content.decode()
    assert "Status: geplant → in Umsetzung" in html
    assert "fällig am: 31.12.2024 → 30.06.2025" in html
    assert "Kira Integrationszentrum · geändert" in html and "Kira Integrationszentrum · angelegt" in html


def test_history_of_demo_data_shows_old_and_new_value_after_the_first_edit(ki_rsk):
    goal = FocusGoal.objects.get(pk=1000)
    ki_rsk.post(url("focusgoal_edit", goal.pk), goal_post(title=goal.title, text=goal.text, status="achieved",
                                                           number=goal.number, field_of_action=goal.field_of_action,
                                                           starts_on="01.01.2023", due_on="31.12.2023",
                                                           version=goal.version))
    html = ki_rsk.get(url("focusgoal_detail", goal.pk)).content.decode()
    assert "Status: in Umsetzung → erreicht" in html


def test_a_focus_goal_due_before_it_starts_is_refused_at_the_due_field(ki_rsk):
    response = ki_rsk.post(url("focusgoal_create"), goal_post(due_on="31.12.2023"))
    assert response.context["form"].errors["due_on"] == ["Das Fälligkeitsdatum darf nicht vor dem Beginn liegen."]
    assert not FocusGoal.objects.filter(title="Sprachmittlerpool ausbauen").exists()
