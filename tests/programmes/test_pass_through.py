"""Pass-throughs of a grant decision (Weiterleitung an Dritte, Nr. 12 VV zu § 44 LHO), as the KI of the
Rhein-Sieg-Kreis records them: never more than the decision's amount, only where the decision permits them,
and on two levels (Kreis → Stadt Troisdorf → Caritas) with what each level passes on and keeps.
"""
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kimportal.models import Partner
from programmes.models import GrantDecision, PassThrough, Programme
from programmes.pass_throughs import Limits, Passing, build_tree, limit_errors, total
from programmes.services import PassThroughLimitError, grant_decision_save
from tests.audit.forms import page_data
from tests.factories import make_partner, make_superuser
from tests.conftest import pass_second_factor

from .test_views import grant_decision_post

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def euro(text: str) -> str:
    """"5.000 €" as the page writes it, with a no-break space before the sign."""
    return text.replace(" €", f"{NBSP}€")


@pytest.fixture
def troisdorf(rsk):
    return Partner.objects.get(county=rsk, name="Stadt Troisdorf")


@pytest.fixture
def caritas(rsk):
    return Partner.objects.get(county=rsk, name="Caritasverband Rhein-Sieg e.V.")


@pytest.fixture
def diakonie(rsk):
    return make_partner(county=rsk, name="Diakonisches Werk An Sieg und Rhein e.V.")


def make_decision(rsk, amount="1000", *, permitted=True, second_level=False) -> GrantDecision:
    kim = Programme.objects.get(code="kim")
    return GrantDecision.objects.create(
        county=rsk, programme=kim, module=kim.modules.get(code="kim-b2"), period_start=date(2023, 1, 1),
        period_end=date(2023, 12, 31), amount=None if amount is None else Decimal(amount),
        pass_through_permitted=permitted, second_level_permitted=second_level, note="Bescheid vom 15.02.2023")


def edit_url(decision):
    return reverse("programmes:grantdecision_edit", args=[decision.pk])


def edit(client, decision, rows=(), **changes):
    """Post the decision's edit page as loaded, with ``changes`` and new pass-through rows appended:
    (recipient, amount as typed, first-level PassThrough or None)."""
    data = page_data(client.get(edit_url(decision)), **changes)
    start = int(data["pass_throughs-INITIAL_FORMS"])
    for index, (recipient, amount, parent) in enumerate(rows, start=start):
        data[f"pass_throughs-{index}-recipient"] = recipient.pk
        data[f"pass_throughs-{index}-amount"] = amount
        if parent is not None:
            data[f"pass_throughs-{index}-parent"] = parent.pk
    data["pass_throughs-TOTAL_FORMS"] = str(max(int(data["pass_throughs-TOTAL_FORMS"]), start + len(rows)))
    return client.post(edit_url(decision), data)


def formset_errors(response) -> list[str]:
    return list(response.context["formsets"]["pass_throughs"].non_form_errors())


def unchanged(decision) -> tuple:
    """What a refused save must leave as it was: the decision's values and version, all pass-throughs."""
    stored = GrantDecision.objects.get(pk=decision.pk)
    return (stored.amount, stored.note, stored.version, stored.pass_through_permitted,
            sorted(PassThrough.objects.values_list("pk", "recipient_id", "amount", "parent_id")))


# The decision's limit ---------------------------------------------------------------------------------------------

def test_5000_passed_on_from_a_1000_decision_are_refused_with_both_figures_and_nothing_is_saved(ki_rsk, rsk,
                                                                                                 caritas):
    decision = make_decision(rsk, "1000")
    before = unchanged(decision)

    response = edit(ki_rsk, decision, [(caritas, "5.000", None)], note="geändert")

    assert response.status_code == 200
    message = euro("Die Weiterleitungen (5.000 €) übersteigen den bewilligten Betrag (1.000 €).")
    assert formset_errors(response) == [message]
    assert message in response.content.decode()
    assert unchanged(decision) == before


def test_a_new_decision_of_1000_with_5000_passed_on_is_not_created(ki_rsk):
    before = GrantDecision.objects.count(), PassThrough.objects.count()

    response = ki_rsk.post(reverse("programmes:grantdecision_create"), grant_decision_post(
        amount="1.000", **{"pass_throughs-0-amount": "5.000"}))

    assert response.status_code == 200
    assert formset_errors(response) == [euro("Die Weiterleitungen (5.000 €) übersteigen den bewilligten Betrag "
                                             "(1.000 €).")]
    assert (GrantDecision.objects.count(), PassThrough.objects.count()) == before


def test_600_and_400_from_1000_are_accepted(ki_rsk, rsk, troisdorf, caritas):
    decision = make_decision(rsk, "1000")

    response = edit(ki_rsk, decision, [(troisdorf, "600", None), (caritas, "400", None)])

    assert response.status_code == 302
    assert sorted(decision.pass_throughs.values_list("amount", flat=True)) == [Decimal("400"), Decimal("600")]


def test_600_and_401_from_1000_are_refused(ki_rsk, rsk, troisdorf, caritas):
    decision = make_decision(rsk, "1000")
    before = unchanged(decision)

    response = edit(ki_rsk, decision, [(troisdorf, "600", None), (caritas, "401", None)])

    assert formset_errors(response) == [euro("Die Weiterleitungen (1.001 €) übersteigen den bewilligten Betrag "
                                             "(1.000 €).")]
    assert unchanged(decision) == before


def test_raising_one_row_while_lowering_another_counts_the_new_amounts(ki_rsk, rsk, troisdorf, caritas):
    decision = make_decision(rsk, "1000")
    first = PassThrough.objects.create(decision=decision, recipient=troisdorf, amount=Decimal("600"))
    PassThrough.objects.create(decision=decision, recipient=caritas, amount=Decimal("400"))
    page = ki_rsk.get(edit_url(decision))
    index = next(i for i, form in enumerate(page.context["formsets"]["pass_throughs"].forms)
                 if form.instance.pk == first.pk)

    response = ki_rsk.post(edit_url(decision), page_data(page, **{
        f"pass_throughs-{index}-amount": "300", f"pass_throughs-{1 - index}-amount": "700"}))

    assert response.status_code == 302
    assert decision.pass_throughs.get(recipient=caritas).amount == Decimal("700")


def test_lowering_the_amount_below_the_pass_throughs_is_refused_at_the_amount(ki_rsk, rsk, troisdorf, caritas):
    decision = make_decision(rsk, "1000")
    PassThrough.objects.create(decision=decision, recipient=troisdorf, amount=Decimal("600"))
    PassThrough.objects.create(decision=decision, recipient=caritas, amount=Decimal("400"))
    before = unchanged(decision)

    response = edit(ki_rsk, decision, amount="999,99")

    message = euro("Die Weiterleitungen (1.000 €) übersteigen den bewilligten Betrag (999,99 €).")
    assert formset_errors(response) == [message]
    assert response.context["form"].errors["amount"] == [message]
    assert unchanged(decision) == before


def test_a_pass_through_the_decision_does_not_permit_is_refused(ki_rsk, rsk, caritas):
    decision = make_decision(rsk, "1000", permitted=False)
    before = unchanged(decision)

    response = edit(ki_rsk, decision, [(caritas, "100", None)])

    assert formset_errors(response) == [
        "Der Bescheid lässt keine Weiterleitung an Dritte zu (Nr. 12 VV zu § 44 LHO). Bitte „Weiterleitung an Dritte "
        "zugelassen“ setzen, wenn der Bescheid sie zulässt, oder die Weiterleitungen entfernen."]
    assert unchanged(decision) == before


def test_taking_the_permission_away_from_a_decision_with_pass_throughs_is_refused(ki_rsk, rsk, caritas):
    decision = make_decision(rsk, "1000")
    PassThrough.objects.create(decision=decision, recipient=caritas, amount=Decimal("100"))
    before = unchanged(decision)

    data = page_data(ki_rsk.get(edit_url(decision)))
    del data["pass_through_permitted"]
    response = ki_rsk.post(edit_url(decision), data)

    assert response.status_code == 200
    assert "Der Bescheid lässt keine Weiterleitung an Dritte zu" in response.context["form"].errors[
        "pass_through_permitted"][0]
    assert unchanged(decision) == before


def test_without_an_amount_the_pass_throughs_are_saved_with_a_warning_that_the_limit_is_not_checked(ki_rsk, rsk,
                                                                                                    caritas):
    decision = make_decision(rsk, None)

    response = edit(ki_rsk, decision, [(caritas, "64.700", None)])

    assert response.status_code == 302
    warning = euro("Der bewilligte Betrag ist nicht erfasst: ob die Weiterleitungen (64.700 €) ihn einhalten, kann "
                   "nicht geprüft werden.")
    assert warning in [str(message) for message in get_messages(response.wsgi_request)]
    detail = ki_rsk.get(reverse("programmes:grantdecision_detail", args=[decision.pk])).content.decode()
    assert warning in detail
    assert "Beim Kreis verbleibt: offen, der bewilligte Betrag ist nicht erfasst" in detail
    assert warning in ki_rsk.get(edit_url(decision)).content.decode()


# Two levels: Kreis → Stadt Troisdorf → Caritas ---------------------------------------------------------------------

@pytest.fixture
def two_levels(rsk, troisdorf):
    """1.000.000 € granted; 120.000 € passed on to Stadt Troisdorf, which may pass on in turn."""
    decision = make_decision(rsk, "1000000", second_level=True)
    first = PassThrough.objects.create(decision=decision, recipient=troisdorf, amount=Decimal("120000"))
    return decision, first


def test_troisdorf_passes_40000_and_80000_of_its_120000_on(ki_rsk, two_levels, caritas, diakonie):
    decision, first = two_levels

    response = edit(ki_rsk, decision, [(caritas, "40.000", first), (diakonie, "80.000", first)])

    assert response.status_code == 302
    assert sorted(first.onward.values_list("amount", flat=True)) == [Decimal("40000"), Decimal("80000")]


def test_troisdorf_cannot_pass_on_40000_and_80001_of_its_120000(ki_rsk, two_levels, caritas, diakonie):
    decision, first = two_levels
    before = unchanged(decision)

    response = edit(ki_rsk, decision, [(caritas, "40.000", first), (diakonie, "80.001", first)])

    assert formset_errors(response) == [euro("Stadt Troisdorf leitet 120.001 € weiter, erhält aber nur 120.000 €.")]
    assert unchanged(decision) == before


def test_the_second_level_needs_the_decisions_permission(ki_rsk, rsk, troisdorf, caritas):
    decision = make_decision(rsk, "1000000", second_level=False)
    first = PassThrough.objects.create(decision=decision, recipient=troisdorf, amount=Decimal("120000"))
    before = unchanged(decision)

    response = edit(ki_rsk, decision, [(caritas, "40.000", first)])

    assert formset_errors(response) == [
        "Der Bescheid lässt keine Weiterleitung auf zweiter Stufe zu (Nr. 12 VV zu § 44 LHO): Caritasverband "
        "Rhein-Sieg e.V. über Stadt Troisdorf."]
    assert unchanged(decision) == before


def test_a_first_recipient_cannot_pass_on_to_itself(ki_rsk, two_levels, troisdorf):
    decision, first = two_levels
    before = unchanged(decision)

    response = edit(ki_rsk, decision, [(troisdorf, "1.000", first)])

    assert response.status_code == 200
    assert [form.errors.get("recipient") for form in response.context["formsets"]["pass_throughs"] if form.errors] \
        == [["Der Letztempfänger muss ein anderer sein als der Erstempfänger."]]
    assert unchanged(decision) == before


def test_removing_a_first_level_pass_through_that_still_passes_on_is_refused(ki_rsk, two_levels, caritas):
    decision, first = two_levels
    PassThrough.objects.create(decision=decision, recipient=caritas, amount=Decimal("40000"), parent=first)
    page = ki_rsk.get(edit_url(decision))
    index = next(i for i, form in enumerate(page.context["formsets"]["pass_throughs"].forms)
                 if form.instance.pk == first.pk)
    before = unchanged(decision)

    response = ki_rsk.post(edit_url(decision), page_data(page, **{f"pass_throughs-{index}-DELETE": "on"}))

    assert formset_errors(response) == [
        "Die Weiterleitung an Caritasverband Rhein-Sieg e.V. läuft über eine Weiterleitung, die entfernt wird. "
        "Bitte auch sie entfernen oder einem anderen Erstempfänger zuordnen."]
    assert unchanged(decision) == before


def test_the_edit_page_offers_only_the_decisions_first_level_as_first_recipients(ki_rsk, two_levels, caritas):
    decision, first = two_levels
    second = PassThrough.objects.create(decision=decision, recipient=caritas, amount=Decimal("40000"), parent=first)
    other = make_decision(decision.county, "500")
    PassThrough.objects.create(decision=other, recipient=caritas, amount=Decimal("500"))

    forms = ki_rsk.get(edit_url(decision)).context["formsets"]["pass_throughs"].forms

    assert [form.instance for form in forms[:2]] == [first, second]  # the first level, then what it passes on
    assert list(forms[1].fields["parent"].queryset) == [first]
    assert list(forms[0].fields["parent"].queryset) == []  # not via itself
    assert [label for _, label in forms[2].fields["parent"].choices] == [
        "– keiner: der Kreis leitet weiter", "Stadt Troisdorf"]


def test_the_detail_page_shows_what_each_level_passes_on_and_keeps(ki_rsk, two_levels, caritas):
    decision, first = two_levels
    assert edit(ki_rsk, decision, [(caritas, "40.000", first)]).status_code == 302

    html = ki_rsk.get(reverse("programmes:grantdecision_detail", args=[decision.pk])).content.decode()

    assert euro("Bescheid 1.000.000 € → Stadt Troisdorf 120.000 € (davon weitergeleitet an Caritasverband "
                "Rhein-Sieg e.V. 40.000 €, verbleibt 80.000 €)") in html
    assert euro("Beim Kreis verbleiben 880.000 € (Bescheid 1.000.000 € − weitergeleitet 120.000 €); mehr Förderung "
                "rechnet die Eigenanteilsberechnung den eigenen Stellen des Kreises nicht zu.") in html
    assert "(prüft Stadt Troisdorf)" in html  # the first recipient checks the final recipient's proof of use


def test_the_tree_of_two_final_recipients_names_both_and_what_the_first_recipient_keeps(two_levels, caritas,
                                                                                         diakonie):
    decision, first = two_levels
    PassThrough.objects.create(decision=decision, recipient=caritas, amount=Decimal("40000"), parent=first)
    PassThrough.objects.create(decision=decision, recipient=diakonie, amount=Decimal("50000"), parent=first)

    tree = GrantDecision.objects.get(pk=decision.pk).pass_through_tree

    [troisdorf_level] = tree.first_level
    assert [level.amount for level in troisdorf_level.onward] == [Decimal("40000"), Decimal("50000")]
    assert (troisdorf_level.passed_on, troisdorf_level.kept) == (Decimal("90000"), Decimal("30000"))
    assert (tree.passed_on, tree.kept) == (Decimal("120000"), Decimal("880000"))


def test_a_second_level_row_shows_in_the_decisions_history(ki_rsk, two_levels, caritas):
    decision, first = two_levels
    assert edit(ki_rsk, decision, [(caritas, "40.000", first)]).status_code == 302

    history = ki_rsk.get(reverse("programmes:grantdecision_detail", args=[decision.pk])).context["history"]

    assert history[0]["changes"] == [("Weiterleitung an Caritasverband Rhein-Sieg e.V.", "(neu)",
                                      f"40.000,00{NBSP}€")]


# The model, the service and the admin ----------------------------------------------------------------------------

def test_the_model_refuses_a_third_level_and_a_first_recipient_of_another_decision(two_levels, caritas, diakonie):
    decision, first = two_levels
    second = PassThrough.objects.create(decision=decision, recipient=caritas, amount=Decimal("40000"), parent=first)
    with pytest.raises(ValidationError) as third:
        PassThrough(decision=decision, recipient=diakonie, amount=Decimal("1"), parent=second).full_clean()
    assert "nur auf zwei Stufen" in third.value.message_dict["parent"][0]
    other = make_decision(decision.county, "500", second_level=True)
    with pytest.raises(ValidationError) as foreign:
        PassThrough(decision=other, recipient=diakonie, amount=Decimal("1"), parent=first).full_clean()
    assert foreign.value.message_dict["parent"] == [
        "Die Weiterleitung des Erstempfängers gehört zu einem anderen Bescheid."]


def test_the_second_level_permission_needs_the_first(rsk):
    decision = make_decision(rsk, "1000", permitted=False)
    decision.second_level_permitted = True
    with pytest.raises(ValidationError) as error:
        decision.full_clean()
    assert "second_level_permitted" in error.value.message_dict


def test_rows_written_around_the_page_are_checked_once_more_and_the_save_is_undone(ki_rsk, rsk, troisdorf,
                                                                                   caritas, diakonie):
    decision = make_decision(rsk, "1000")
    PassThrough.objects.create(decision=decision, recipient=troisdorf, amount=Decimal("600"))
    page = ki_rsk.get(edit_url(decision))
    # A script adds 300 € after the page was loaded, without touching the decision.
    PassThrough.objects.create(decision=decision, recipient=diakonie, amount=Decimal("300"))
    before = unchanged(decision)
    data = page_data(page, note="geändert", **{"pass_throughs-1-recipient": caritas.pk, "pass_throughs-1-amount": "200"})

    response = ki_rsk.post(edit_url(decision), data)

    assert response.status_code == 200
    assert euro("Die Weiterleitungen (1.100 €) übersteigen den bewilligten Betrag (1.000 €).") in [
        str(message) for message in get_messages(response.wsgi_request)]
    assert unchanged(decision) == before


def test_the_service_refuses_to_keep_stored_rows_over_the_amount(rsk, troisdorf):
    decision = make_decision(rsk, "1000")
    PassThrough.objects.create(decision=decision, recipient=troisdorf, amount=Decimal("1500"))

    class Form:  # the decision's form as the service sees it: save() writes the decision
        def save(self):
            decision.save()
            return decision

    with pytest.raises(PassThroughLimitError):
        grant_decision_save(form=Form(), formsets=[])


@pytest.fixture
def admin_client(client, demo):
    user = make_superuser()
    client.force_login(user)
    pass_second_factor(client, user)
    return client


def admin_form(decision, rows):
    data = {"county": decision.county_id, "programme": decision.programme_id, "module": decision.module_id,
            "period_start": "01.01.2023", "period_end": "31.12.2023", "amount": "1.000,00",
            "pass_through_permitted": "on", "note": decision.note,
            "slots-TOTAL_FORMS": "0", "slots-INITIAL_FORMS": "0",
            "pass_throughs-TOTAL_FORMS": str(len(rows)), "pass_throughs-INITIAL_FORMS": "0"}
    for index, (recipient, amount) in enumerate(rows):
        data |= {f"pass_throughs-{index}-recipient": recipient.pk, f"pass_throughs-{index}-amount": amount}
    return data


def test_the_admin_refuses_5000_from_1000_and_saves_nothing(admin_client, rsk, caritas):
    decision = make_decision(rsk, "1000")
    before = unchanged(decision)

    response = admin_client.post(reverse("admin:programmes_grantdecision_change", args=[decision.pk]),
                                 admin_form(decision, [(caritas, "5.000,00")]))

    assert response.status_code == 200
    assert euro("Die Weiterleitungen (5.000 €) übersteigen den bewilligten Betrag (1.000 €).") in \
        response.content.decode()
    assert unchanged(decision) == before


def test_the_admin_saves_600_and_400_from_1000(admin_client, rsk, troisdorf, caritas):
    decision = make_decision(rsk, "1000")

    response = admin_client.post(reverse("admin:programmes_grantdecision_change", args=[decision.pk]),
                                 admin_form(decision, [(troisdorf, "600,00"), (caritas, "400,00")]))

    assert response.status_code == 302
    assert total(Passing.of(row) for row in decision.pass_throughs.all()) == Decimal("1000")


def test_a_pass_through_added_on_its_own_in_the_admin_counts_the_decisions_other_rows(admin_client, rsk, troisdorf,
                                                                                      caritas):
    decision = make_decision(rsk, "1000")
    PassThrough.objects.create(decision=decision, recipient=troisdorf, amount=Decimal("600"))

    response = admin_client.post(reverse("admin:programmes_passthrough_add"), {
        "decision": decision.pk, "recipient": caritas.pk, "amount": "401,00"})

    assert response.status_code == 200
    assert euro("Die Weiterleitungen (1.001 €) übersteigen den bewilligten Betrag (1.000 €).") in \
        response.content.decode()
    assert not decision.pass_throughs.filter(recipient=caritas).exists()


# The rule as a property: whatever is accepted stays within the limits ----------------------------------------------

amounts = st.one_of(st.none(), st.integers(min_value=0, max_value=2_000_000).map(lambda cents: Decimal(cents) / 100))


@st.composite
def decisions_with_rows(draw):
    limits = Limits(draw(amounts), draw(st.booleans()), draw(st.booleans()))
    first = [Passing(key=i, recipient=f"E{i}", amount=draw(amounts), recipient_id=i)
             for i in range(draw(st.integers(0, 4)))]
    second = [Passing(key=10 + j, recipient=f"L{j}", amount=draw(amounts), recipient_id=10 + j,
                      parent=draw(st.sampled_from([row.key for row in first])))
              for j in range(draw(st.integers(0, 4)) if first else 0)]
    return limits, first + second


@given(decisions_with_rows())
def test_accepted_pass_throughs_never_add_up_to_more_than_the_decision_or_their_first_recipient(case):
    limits, rows = case
    if limit_errors(limits, rows):
        return
    first = [row for row in rows if row.parent is None]
    assert not rows or limits.permitted
    assert limits.amount is None or total(first) <= limits.amount
    for parent in first:
        onward = [row for row in rows if row.parent == parent.key]
        assert not onward or limits.second_level_permitted
        assert parent.amount is None or total(onward) <= parent.amount
    tree = build_tree(limits, [_Stored(row) for row in rows])
    assert tree.kept is None or tree.kept >= 0
    assert all(level.kept is None or level.kept >= 0 for level in tree.first_level)


class _Stored:
    """A Passing dressed as a stored PassThrough, for build_tree."""

    def __init__(self, row):
        self.pk, self.parent_id, self.amount, self.recipient_id = row.key, row.parent, row.amount, row.recipient_id
        self.recipient = type("Recipient", (), {"name": row.recipient})()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(decision_amount=st.integers(0, 3000), row_amounts=st.lists(st.integers(0, 2000), max_size=3))
def test_the_page_accepts_a_set_of_pass_throughs_only_if_it_fits_the_decision(rsk, decision_amount, row_amounts):
    """The page's own validation (the formset), not only the rule: any accepted set fits the amount."""
    from programmes.forms import PassThroughFormSet

    decision = GrantDecision(county=rsk, amount=Decimal(decision_amount), pass_through_permitted=True)
    partners = list(Partner.objects.filter(county=rsk).order_by("name"))
    data = {"pt-TOTAL_FORMS": str(len(row_amounts)), "pt-INITIAL_FORMS": "0"}
    for index, amount in enumerate(row_amounts):
        data |= {f"pt-{index}-recipient": partners[index % len(partners)].pk, f"pt-{index}-amount": str(amount)}
    formset = PassThroughFormSet(data, instance=decision, prefix="pt", form_kwargs={"county": rsk})

    accepted = formset.is_valid()

    assert accepted == (sum(row_amounts) <= decision_amount)


# Moving the permission from the rows to the decision ----------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_the_permission_to_the_decision_and_keeps_mixed_marks_in_the_note():
    before, after = [("programmes", "0004_module_application_required")], [
        ("programmes", "0005_pass_through_limits_and_levels")]
    executor = MigrationExecutor(connection)
    old = executor.migrate(before).apps
    County, Partner_ = old.get_model("kimportal", "County"), old.get_model("kimportal", "Partner")
    Programme_ = old.get_model("programmes", "Programme")
    Decision, Passing_ = old.get_model("programmes", "GrantDecision"), old.get_model("programmes", "PassThrough")
    county = County.objects.create(slug="kreis-m", name="Kreis M")
    town = Partner_.objects.create(county=county, name="Stadt A", kind="municipality")
    welfare = Partner_.objects.create(county=county, name="Verband B", kind="welfare")
    programme = Programme_.objects.create(code="prog-m", name="Programm M")

    def decision(**fields):
        return Decision.objects.create(county=county, programme=programme, period_start=date(2021, 1, 1),
                                       period_end=date(2021, 12, 31), **fields)

    allowed, refused, mixed, none = decision(), decision(), decision(note="Alt."), decision()
    Passing_.objects.create(decision=allowed, recipient=town, amount=Decimal("10"), permitted_by_decision=True)
    Passing_.objects.create(decision=refused, recipient=town, amount=Decimal("10"), permitted_by_decision=False)
    Passing_.objects.create(decision=mixed, recipient=town, amount=Decimal("10"), permitted_by_decision=True)
    Passing_.objects.create(decision=mixed, recipient=welfare, amount=Decimal("10"), permitted_by_decision=False)

    executor.loader.build_graph()
    executor.migrate(after)

    new = MigrationExecutor(connection).loader.project_state(after).apps.get_model("programmes", "GrantDecision")
    permitted = {d.pk: d.pass_through_permitted for d in new.objects.filter(county__slug="kreis-m")}
    assert permitted == {allowed.pk: True, refused.pk: False, mixed.pk: False, none.pk: False}
    assert new.objects.get(pk=mixed.pk).note == (
        "Alt.\n\nVor der Umstellung je Weiterleitung erfasst: im Bescheid zugelassen die Weiterleitung an Stadt A, "
        "nicht zugelassen die an Verband B.")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
