"""The task pages: start a report's PDF from its preview, follow it, download it; roles and counties."""
import pytest
from django.urls import reverse

from kimportal.models import County
from tasks.models import TaskRun

from .conftest import pdf_text

pytestmark = pytest.mark.usefixtures("demo_users", "inline_tasks")

PASSWORD = "kimportal-demo"
PERIOD = {"start": "2021-12", "end": "2022-12"}


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def start_url(slug="kim"):
    return reverse("tasks:report_pdf_start", kwargs={"slug": slug})


def waiting_run(county="rhein-sieg-kreis", **fields) -> TaskRun:
    """A run as a worker has not yet finished it (no task is sent)."""
    return TaskRun.objects.create(kind=TaskRun.Kind.REPORT, title="Kommunales Integrationsmanagement (KIM)",
                                  county=County.objects.get(slug=county), params={"report": "kim", **PERIOD},
                                  **fields)


@pytest.mark.parametrize("username, shown", [("ki-rsk", True), ("finanzen-rsk", True), ("ausschuss-rsk", False)])
def test_the_preview_offers_the_background_pdf_beside_the_direct_download(client, username, shown):
    content = login(client, username).get(reverse("reports:report_preview", kwargs={"slug": "kim"}),
                                          PERIOD).content.decode()
    assert "PDF herunterladen" in content
    assert ("PDF im Hintergrund erstellen" in content) is shown
    assert (f'action="{start_url()}"' in content) is shown


def test_ki_staff_start_the_kim_pdf_follow_it_and_download_it(client):
    response = login(client, "ki-rsk").post(start_url(), PERIOD)
    run = TaskRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("tasks:taskrun_detail", args=[run.pk])
    assert (run.status, run.progress, run.user.username, run.county.slug) == ("done", 100, "ki-rsk",
                                                                              "rhein-sieg-kreis")
    page = client.get(response["Location"])
    content = page.content.decode()
    assert "fertig" in content and 'value="100"' in content
    assert 'http-equiv="refresh"' not in content and "Refresh" not in page
    download = reverse("tasks:taskrun_download", args=[run.pk])
    assert f'href="{download}"' in content
    assert "zurück zum Bericht" in content and "/berichte/kim/?start=2021-12&amp;end=2022-12" in content
    pdf = client.get(download)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="kim_rhein-sieg-kreis_2021-12-bis-2022-12.pdf"'
    assert "258.818 €" in pdf_text(b"".join(pdf.streaming_content))


def test_a_running_task_page_reloads_itself_every_two_seconds(client):
    run = waiting_run(status=TaskRun.Status.RUNNING, progress=40, message="Das PDF wird gesetzt …")
    page = login(client, "finanzen-rsk").get(reverse("tasks:taskrun_detail", args=[run.pk]))
    content = page.content.decode()
    assert page["Refresh"] == "2" and '<meta http-equiv="refresh" content="2">' in content
    assert 'value="40"' in content and "läuft" in content and "Das PDF wird gesetzt …" in content
    assert "herunterladen" not in content
    assert client.get(reverse("tasks:taskrun_download", args=[run.pk])).status_code == 404


def test_a_failed_task_shows_its_german_message(client):
    run = waiting_run(status=TaskRun.Status.FAILED, message="Die Berechnung ist mit diesen Daten nicht möglich.")
    content = login(client, "ki-rsk").get(reverse("tasks:taskrun_detail", args=[run.pk])).content.decode()
    assert "fehlgeschlagen" in content and "Die Berechnung ist mit diesen Daten nicht möglich." in content
    assert 'role="alert"' in content and "http-equiv" not in content


def test_another_countys_run_and_file_are_404(client):
    login(client, "ki-rsk").post(start_url(), PERIOD)
    run = TaskRun.objects.get()
    client.logout()
    login(client, "ki-neuss")
    assert client.get(reverse("tasks:taskrun_detail", args=[run.pk])).status_code == 404
    assert client.get(reverse("tasks:taskrun_download", args=[run.pk])).status_code == 404
    assert run.title not in client.get(reverse("tasks:taskrun_list")).content.decode()


def test_the_committee_may_not_start_or_see_tasks(client):
    login(client, "ausschuss-rsk")
    assert client.post(start_url(), PERIOD).status_code == 403
    assert not TaskRun.objects.exists()
    assert client.get(reverse("tasks:taskrun_list")).status_code == 403
    run = waiting_run()
    assert client.get(reverse("tasks:taskrun_detail", args=[run.pk])).status_code == 403


def test_bad_parameters_start_nothing_and_say_why(client):
    response = login(client, "ki-rsk").post(start_url(), {"start": "2022-12", "end": "2021-12"}, follow=True)
    assert not TaskRun.objects.exists()
    assert "Das PDF wurde nicht gestartet: bis (Monat): Der letzte Monat liegt vor dem ersten." in (
        response.content.decode())


def test_an_unknown_report_is_404(client):
    assert login(client, "ki-rsk").post(start_url("haushaltsrede"), {}).status_code == 404


def test_a_pdf_with_holders_names_is_not_handed_to_finance(client):
    login(client, "ki-rsk").post(start_url("stellenplan"), {"fiscal_year": "2022"})
    run = TaskRun.objects.get()
    assert run.params["show_names"] is True and run.status == "done"
    client.logout()
    login(client, "finanzen-rsk")
    content = client.get(reverse("tasks:taskrun_detail", args=[run.pk])).content.decode()
    assert "steht für Sie nicht zum Herunterladen bereit" in content
    assert client.get(reverse("tasks:taskrun_download", args=[run.pk])).status_code == 403


def test_the_list_shows_the_countys_recent_runs_and_marks_ones_own(client):
    login(client, "ki-rsk").post(start_url(), PERIOD)
    waiting_run(county="rhein-kreis-neuss", message="Neuss wartet")
    content = client.get(reverse("tasks:taskrun_list")).content.decode()
    run = TaskRun.objects.get(county__slug="rhein-sieg-kreis")
    assert reverse("tasks:taskrun_detail", args=[run.pk]) in content and "<strong>Sie</strong>" in content
    assert "fertig" in content and "Neuss wartet" not in content
