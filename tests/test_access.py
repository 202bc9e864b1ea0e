"""Every URL of the application, for every role: log-in, 403 for the committee on edits, 404 across counties.

The URLs are read from the URL configuration, so a new page cannot be forgotten.
"""
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from budgeting.models import CoverageSource
from kimportal.models import County
from programmes.models import GrantDecision, PassThrough
from reports.models import IssuedReport
from reports.registry import get_report
from reports.selectors import paper_context
from staffing.models import Position
from tasks.models import TaskRun

RSK = "rhein-sieg-kreis"
APP_NAMESPACES = {"programmes", "staffing", "budgeting", "reports", "audit", "provisions", "actuals", "drawdowns",
                  "rollover", "proofs", "tasks"}
# Pages for finance officers and administrators only (tests/audit/test_changelog.py and
# tests/provisions/test_views.py check those roles).
NOT_FOR_KI_STAFF = {"audit:changelog", "provisions:limits_edit"}
# Steps that only take a POST and answer a GET (a reload) with a redirect to where the user starts again.
REDIRECT_ON_GET = {"actuals:mapping", "actuals:confirm", "actuals:cancel"}
REPORT = "kim"  # the report a /berichte/<slug>/ URL is opened with
EDIT = re.compile(r"_(create|edit|delete)$|^(statedfigure_create|applicationstep_create)$")
COUNTY_PATHS = ["county", "application__county", "allocation__county", "decision__county", "budget_line__county",
                "scenario__county", "agreement__county"]


def named_urls(skip_namespaces=()):
    """(namespaced name, pattern) of every named URL, leaving out the given namespaces."""
    found = []

    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace not in skip_namespaces:
                    walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name:
                found.append((f"{namespace}:{p.name}" if namespace else p.name, p))

    walk(get_resolver().url_patterns)
    return found


def app_urls():
    return [(name, p) for name, p in named_urls() if name.split(":")[0] in APP_NAMESPACES and ":" in name]


URLS = app_urls()


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data loaded once for this module, rolled back at its end (each test runs in a savepoint)."""
    task_files = tmp_path_factory.mktemp("tasks")
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(TASK_FILES_DIR=task_files):
        call_command("load_demo", "--with-demo-users", verbosity=0)
        issue_a_paper()
        finish_a_task(task_files)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_users(site, db):
    """Overrides the per-test demo load of tests/conftest.py."""


demo = demo_users


def issue_a_paper():
    """An issued committee paper of the Rhein-Sieg-Kreis (its PDF stands in: the pages do not render it)."""
    county, report = County.objects.get(slug=RSK), get_report(REPORT)
    paper = paper_context(report, county, report.default_params(county))
    IssuedReport.objects.create(county=county, report=REPORT, title=report.title, paper_number="50/2021",
                                committee="Ausschuss für Soziales und Integration", params=paper["params"],
                                snapshot=paper, pdf=b"%PDF-1.7", page_count=1)


def finish_a_task(task_files):
    """A finished background PDF of the Rhein-Sieg-Kreis (its file stands in: the pages do not render it)."""
    run = TaskRun.objects.create(kind=TaskRun.Kind.REPORT, title="KIM", county=County.objects.get(slug=RSK),
                                 params={"report": REPORT}, status=TaskRun.Status.DONE, progress=100)
    run.result_file = f"{run.pk}/kim.pdf"
    run.save()
    run.result_path.parent.mkdir(parents=True)
    run.result_path.write_bytes(b"%PDF-1.7")


def view_model(pattern):
    view = getattr(pattern.callback, "view_class", None)
    model = getattr(view, "model", None)
    if model is None and getattr(view, "queryset", None) is not None:
        model = view.queryset.model
    return model


def rsk_object(model):
    fields = {f.name for f in model._meta.get_fields()}
    if model._meta.label == "programmes.Programme":
        return model.objects.filter(county__slug=RSK).order_by("pk").first()
    for path in COUNTY_PATHS:
        if path.split("__")[0] in fields:
            return model.objects.filter(**{f"{path}__slug": RSK}).order_by("pk").first()
    return None


def url_for(name, pattern):
    params = pattern.pattern.converters
    if not params:
        return reverse(name)
    if set(params) == {"position_pk"}:  # a new vacancy of a position (actuals.urls)
        return reverse(name, kwargs={"position_pk": Position.objects.filter(county__slug=RSK).order_by("pk")[0].pk})
    if set(params) == {"slug"}:
        # The Excel file exists for the reports that have a workbook (the proof of use); KIM is a PDF only.
        return reverse(name, kwargs={"slug": "verwendungsnachweis" if name == "reports:report_xlsx" else REPORT})
    if set(params) == {"decision_pk"}:  # the draw-downs of a decision (drawdowns.urls)
        decision = GrantDecision.objects.filter(county__slug=RSK, amount__isnull=False).order_by("pk").first()
        return reverse(name, kwargs={"decision_pk": decision.pk})
    if set(params) == {"decision_pk", "year"}:  # a decision's proof of use for a year (proofs.urls)
        decision = GrantDecision.objects.filter(county__slug=RSK).order_by("pk").first()
        return reverse(name, kwargs={"decision_pk": decision.pk, "year": decision.period_end.year})
    if set(params) == {"source_pk"}:  # a coverage source's proof of use (proofs.urls)
        return reverse(name, kwargs={"source_pk": CoverageSource.objects.filter(county__slug=RSK).order_by("pk")[0].pk})
    if set(params) == {"pass_through_pk"}:  # a recipient's proof of use (proofs.urls)
        passing = PassThrough.objects.filter(decision__county__slug=RSK).order_by("pk").first()
        return reverse(name, kwargs={"pass_through_pk": passing.pk})
    model = view_model(pattern)
    obj = rsk_object(model) if model is not None else None
    if obj is None:
        pytest.fail(f"{name}: no Rhein-Sieg object of {model} to build the URL with")
    return reverse(name, kwargs={key: obj.pk for key in params})


def is_object_url(pattern):
    """A URL of one record; a report's URL (/berichte/kim/) is every county's own report."""
    return bool(pattern.pattern.converters) and set(pattern.pattern.converters) != {"slug"}


@pytest.mark.parametrize("name, pattern", URLS, ids=[n for n, _ in URLS])
def test_anonymous_users_are_sent_to_the_login_page(client, demo, name, pattern):
    response = client.get(url_for(name, pattern))
    assert response.status_code == 302 and response["Location"].startswith("/anmelden/")


@pytest.mark.parametrize("name, pattern", URLS, ids=[n for n, _ in URLS])
def test_the_committee_may_not_edit_anything(client, demo_users, name, pattern):
    client.login(username="ausschuss-rsk", password="kimportal-demo")
    url = url_for(name, pattern)
    if EDIT.search(name.split(":")[1]):
        assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


@pytest.mark.parametrize("name, pattern", [(n, p) for n, p in URLS if is_object_url(p)],
                         ids=[n for n, p in URLS if is_object_url(p)])
def test_a_neuss_user_gets_404_on_rhein_sieg_objects(client, demo_users, name, pattern):
    client.login(username="ki-neuss", password="kimportal-demo")
    assert client.get(url_for(name, pattern)).status_code == 404


@pytest.mark.parametrize("name, pattern", URLS, ids=[n for n, _ in URLS])
def test_ki_staff_can_open_every_page_of_their_county(client, demo_users, name, pattern):
    client.login(username="ki-rsk", password="kimportal-demo")
    view = getattr(pattern.callback, "view_class", None)
    expected = 200 if view is None or "get" in view.http_method_names and hasattr(view, "get") else 405
    if name in NOT_FOR_KI_STAFF:
        expected = 403
    if name in REDIRECT_ON_GET:
        expected = 302
    assert client.get(url_for(name, pattern)).status_code == expected


def test_the_start_page_is_open_to_every_role(client, demo_users):
    for username in ("ki-rsk", "finanzen-rsk", "ausschuss-rsk", "ki-neuss"):
        client.login(username=username, password="kimportal-demo")
        assert client.get("/").status_code == 200


# Pages outside the county apps, each with its own rule (checked below, not by the loops above).
OWN_ACCOUNT = {"accounts:account", "accounts:password_change", "accounts:two_factor_setup",
               "accounts:two_factor_verify"}
PUBLIC = {"login", "health", "accounts:password_set"}  # password_set: the one-time link (workbook.passwords)
EVERY_ROLE = {"home", "logout"}
# The county workbook (import/export of a whole county) is for administrators only (tests/workbook/ checks them).
ADMINISTRATION_ONLY = {"workbook:workbook", "workbook:confirm", "workbook:cancel", "workbook:template",
                       "workbook:export"}


# … of which finance officers may read their own county's workbook page and download its export.
FINANCE_READS = {"workbook:workbook", "workbook:export"}


def all_named_urls():
    """Every named URL of the site outside the Django admin (which has its own permission checks)."""
    return {name for name, _ in named_urls(skip_namespaces=("admin",))}


def test_every_url_of_the_site_has_an_access_rule_under_test():
    """A new page must join one of the groups above, so the role checks cover it."""
    covered = {n for n, _ in URLS} | OWN_ACCOUNT | PUBLIC | EVERY_ROLE | ADMINISTRATION_ONLY
    assert all_named_urls() - covered == set()


def administration_url(name):
    return reverse(name, kwargs={"slug": RSK}) if name == "workbook:export" else reverse(name)


@pytest.mark.parametrize("name", sorted(ADMINISTRATION_ONLY))
def test_administration_pages_are_refused_to_every_county_role(client, demo_users, name):
    url = administration_url(name)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/anmelden/")
    for username in ("ki-rsk", "finanzen-rsk", "ausschuss-rsk", "ki-neuss"):
        client.login(username=username, password="kimportal-demo")
        if username == "finanzen-rsk" and name in FINANCE_READS:
            # Finance officers read their own county's workbook (tests/workbook/test_polish.py), never import.
            assert client.get(url).status_code == 200, (username, url)
            assert client.post(url, {}).status_code in (403, 405), (username, url)  # the export is a download
            continue
        assert client.get(url).status_code == 403, (username, url)
        assert client.post(url, {}).status_code == 403, (username, url)


@pytest.mark.parametrize("name", sorted(OWN_ACCOUNT))
def test_account_pages_are_for_signed_in_users_only(client, demo, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith("/anmelden/")


@pytest.mark.parametrize("username", ["ki-rsk", "finanzen-rsk", "ausschuss-rsk", "ki-neuss"])
def test_every_role_has_its_own_account_pages(client, demo_users, username):
    """Everyone, the committee included, may change their own password and set up an authenticator app."""
    client.login(username=username, password="kimportal-demo")
    assert client.get(reverse("accounts:account")).status_code == 200
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200 and "Neues Passwort" in page.content.decode()
    wrong = client.post(reverse("accounts:password_change"), {"old_password": "falsch", "new_password1": "x",
                                                              "new_password2": "y"})
    assert wrong.status_code == 200  # the form again with its errors, not 403
    assert client.get(reverse("accounts:two_factor_setup")).status_code == 200
    # Without an authenticator app there is no code to ask for: the code step sends the user on.
    assert client.get(reverse("accounts:two_factor_verify")).status_code == 302


def test_login_and_health_are_open_to_anonymous_users(client, demo):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("health")).status_code == 200
