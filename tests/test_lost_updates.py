"""No lost updates on any record edited in the browser.

Two people load the same edit page; the first saves; the second's save is refused
with a 409, a German message and the current values, and the first save stays.
The forms are posted exactly as the browser would send the rendered page.
"""
from datetime import date
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.urls import reverse

from kimportal.concurrency import Versioned

from .conftest import log_in_as_admin

# url name, model, lookup of a Rhein-Sieg record in the demo data, user, a text field to change
CASES = [
    ("programmes:programme_edit", "programmes.Programme", {"code": "rsk-projektmittel"}, "ki-rsk", "description"),
    ("programmes:application_edit", "programmes.Application", {"county__slug": "rhein-sieg-kreis"}, "ki-rsk", "note"),
    ("programmes:grantdecision_edit", "programmes.GrantDecision", {"county__slug": "rhein-sieg-kreis"}, "ki-rsk",
     "authority"),
    ("programmes:focusgoal_edit", "programmes.FocusGoal", {"county__slug": "rhein-sieg-kreis"}, "ki-rsk", "title"),
    ("staffing:position_edit", "staffing.Position", {"county__slug": "rhein-sieg-kreis"}, "ki-rsk", "note"),
    ("budgeting:scenario_edit", "budgeting.Scenario", {"county__slug": "rhein-sieg-kreis"}, "ki-rsk",
     "description"),
    ("budgeting:coverage_edit", "budgeting.CoverageSource", {"county__slug": "rhein-sieg-kreis"}, "finanzen-rsk",
     "note"),
    ("budgeting:appropriation_edit", "budgeting.Appropriation", {"budget_line__county__slug": "rhein-sieg-kreis"},
     "finanzen-rsk", "note"),
    ("actuals:vacancy_edit", "actuals.Vacancy", {"county__slug": "rhein-sieg-kreis"}, "ki-rsk", "note"),
    ("drawdowns:edit", "drawdowns.Drawdown", {"decision__county__slug": "rhein-sieg-kreis"}, "finanzen-rsk", "note"),
    ("proofs:decision_edit", "proofs.ProofOfUse", {"decision__county__slug": "rhein-sieg-kreis"}, "ki-rsk",
     "factual_report"),
    ("proofs:source_edit", "proofs.ProofOfUse", {"coverage_source__county__slug": "rhein-sieg-kreis"},
     "finanzen-rsk", "note"),
    ("proofs:recipient_edit", "proofs.RecipientProof", {"pass_through__decision__county__slug": "rhein-sieg-kreis"},
     "finanzen-rsk", "note"),
]
# Proof records are addressed by what they prove (created on the first save): decision and year, source, pass-through.
URL_ARGS = {
    "proofs:decision_edit": lambda proof: [proof.decision_id, proof.fiscal_year],
    "proofs:source_edit": lambda proof: [proof.coverage_source_id],
    "proofs:recipient_edit": lambda proof: [proof.pass_through_id],
}


def edit_url(url_name, obj):
    return reverse(url_name, args=URL_ARGS.get(url_name, lambda o: [o.pk])(obj))


class FormValues(HTMLParser):
    """The name/value pairs a browser submits for the page's POST form."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self.in_post_form = False
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_post_form = (attrs.get("method") or "").lower() == "post"
        if not self.in_post_form or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.values[attrs["name"]] = attrs.get("value", "on")
            elif kind not in ("submit", "button"):
                self.values[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self.select = attrs["name"]
            self.values.setdefault(self.select, "")
        elif tag == "option" and self.select and "selected" in attrs:
            self.values[self.select] = attrs.get("value") or ""
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.values[self.textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_post_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea] += data.removeprefix("\n")


def loaded_form(client, url) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200
    parser = FormValues()
    parser.feed(response.content.decode())
    parser.values.pop("csrfmiddlewaretoken", None)
    assert "version" in parser.values, "the edit form carries the loaded version"
    return parser.values


def record(model_label, lookup):
    found = apps.get_model(model_label).objects.filter(**lookup).order_by("pk").first()
    if found is None and model_label == "proofs.RecipientProof":
        # The demo has no recipient's proof yet: one comes in for the first Rhein-Sieg pass-through.
        from programmes.models import PassThrough

        passing = PassThrough.objects.filter(decision__county__slug="rhein-sieg-kreis").order_by("pk").first()
        found = apps.get_model(model_label).objects.create(pass_through=passing, received_on=date(2023, 3, 15))
    return found


def test_every_model_edited_in_the_browser_is_versioned():
    edited = {apps.get_model(label) for _, label, *_ in CASES}
    versioned = {model for model in apps.get_models() if issubclass(model, Versioned)}
    assert edited <= versioned
    # Their own pages, tested there: the CM allocation (tests/staffing), a report's texts (tests/reports/test_views.py),
    # the county's value limits, one per county at a URL without a key (tests/provisions/test_views.py); a year-end
    # rollover, whose service claims its version (tests/rollover/test_services.py).
    assert versioned - edited == {apps.get_model("staffing.CaseManagementAllocation"),
                                  apps.get_model("reports.ReportSetup"),
                                  apps.get_model("provisions.ProvisionStatute"),
                                  apps.get_model("rollover.Rollover")}


@pytest.mark.parametrize("url_name, model_label, lookup, username, field", CASES,
                         ids=[case[0].split(":")[1] for case in CASES])
def test_the_later_of_two_saves_is_refused_with_the_current_values(demo_users, client, url_name, model_label,
                                                                    lookup, username, field):
    obj = record(model_label, lookup)
    url = edit_url(url_name, obj)
    client.login(username=username, password="kimportal-demo")
    loaded_by_both = loaded_form(client, url)

    first = client.post(url, {**loaded_by_both, field: "Erste Speicherung"})
    second = client.post(url, {**loaded_by_both, field: "Zweite Speicherung"})

    assert first.status_code == 302, first.context["form"].errors if first.context else first
    assert second.status_code == 409
    html = second.content.decode()
    assert "inzwischen von jemand anderem geändert" in html
    assert "Aktueller Stand in der Datenbank" in html and "Erste Speicherung" in html
    obj.refresh_from_db()
    assert getattr(obj, field) == "Erste Speicherung"
    assert obj.version == record(model_label, lookup).version


@pytest.mark.parametrize("url_name, model_label, lookup, username, field", CASES[:1] + CASES[-1:],
                         ids=["programme_edit", "appropriation_edit"])
def test_saving_again_after_seeing_the_conflict_overwrites(demo_users, client, url_name, model_label, lookup,
                                                           username, field):
    obj = record(model_label, lookup)
    url = edit_url(url_name, obj)  # a proof is addressed by what it proves (on SQLite the keys happened to agree)
    client.login(username=username, password="kimportal-demo")
    loaded_by_both = loaded_form(client, url)
    client.post(url, {**loaded_by_both, field: "Erste Speicherung"})
    conflict = client.post(url, {**loaded_by_both, field: "Zweite Speicherung"})

    parser = FormValues()
    parser.feed(conflict.content.decode())
    parser.values.pop("csrfmiddlewaretoken", None)
    again = client.post(url, parser.values)

    assert again.status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == "Zweite Speicherung"


def test_an_edit_without_the_loaded_version_is_refused(demo_users, client):
    obj = record("programmes.FocusGoal", {"county__slug": "rhein-sieg-kreis"})
    url = reverse("programmes:focusgoal_edit", args=[obj.pk])
    client.login(username="ki-rsk", password="kimportal-demo")
    data = loaded_form(client, url)
    del data["version"]

    response = client.post(url, {**data, "title": "Ohne Fassung"})

    assert response.status_code == 200
    assert "Die geladene Fassung fehlt" in response.content.decode()
    obj.refresh_from_db()
    assert obj.title != "Ohne Fassung"


def test_an_admin_save_makes_an_open_browser_edit_stale(demo_users, client):
    obj = record("programmes.FocusGoal", {"county__slug": "rhein-sieg-kreis"})
    url = reverse("programmes:focusgoal_edit", args=[obj.pk])
    client.login(username="ki-rsk", password="kimportal-demo")
    loaded = loaded_form(client, url)

    admin = client.__class__()
    log_in_as_admin(admin)
    admin_url = reverse("admin:programmes_focusgoal_change", args=[obj.pk])
    admin_form = FormValues()
    admin_form.feed(admin.get(admin_url).content.decode())
    admin_form.values.pop("csrfmiddlewaretoken", None)
    assert admin.post(admin_url, {**admin_form.values, "title": "In der Verwaltung geändert"}).status_code == 302

    response = client.post(url, {**loaded, "title": "Im Browser geändert"})

    assert response.status_code == 409
    obj.refresh_from_db()
    assert obj.title == "In der Verwaltung geändert"


def test_after_a_conflict_the_form_takes_the_other_persons_changes_and_keeps_ones_own(demo_users, client):
    position = record("staffing.Position", {"county__slug": "rhein-sieg-kreis"})
    url = reverse("staffing:position_edit", args=[position.pk])
    client.login(username="ki-rsk", password="kimportal-demo")
    loaded_by_both = loaded_form(client, url)
    assert client.post(url, {**loaded_by_both, "note": "Von Frau A", "fte": "0,5"}).status_code == 302

    refused = client.post(url, {**loaded_by_both, "title": "Von Herrn B umbenannt", "fte": "0,75"})

    assert refused.status_code == 409
    merged = FormValues()
    merged.feed(refused.content.decode())
    assert merged.values["note"] == "Von Frau A"  # only A changed it: A's value
    assert merged.values["title"] == "Von Herrn B umbenannt"  # only B changed it: B's input
    assert merged.values["fte"] == "0,75"  # both changed it: B's input, marked
    assert "Ihre Eingabe: 0,75" in refused.content.decode()
    merged.values.pop("csrfmiddlewaretoken", None)
    assert client.post(url, merged.values).status_code == 302
    position.refresh_from_db()
    assert (position.note, position.title, str(position.fte)) == ("Von Frau A", "Von Herrn B umbenannt", "0.750")
