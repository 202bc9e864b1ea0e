"""In a real browser: an administrator uploads a county's workbook, reads the preview and confirms."""
import pytest

from kimportal.models import County
from tests.workbook.helpers import exported, save

from .conftest import assert_page_ok


@pytest.mark.django_db(transaction=True)
def test_an_administrator_imports_a_workbook_after_the_preview(login, visit, watches, tmp_path):
    # The unchanged export: under a new slug the import leaves out the keys and users another county holds.
    path = save(exported(), tmp_path, "rhein-sieg-kreis.xlsx")
    page = login("admin")
    visit(page, "/verwaltung/arbeitsmappe/")
    page.get_by_label("Arbeitsmappe (.xlsx)").set_input_files(str(path))
    page.get_by_label("Kürzel (neu)").fill("kopie")
    page.get_by_label("Name (neu)").fill("Kopie-Kreis")
    page.get_by_role("button", name="Prüfen und Vorschau zeigen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Vorschau: Kopie-Kreis (kopie) – neuer Kreis").is_visible()
    assert not County.objects.filter(slug="kopie").exists()

    page.get_by_role("button", name="Import bestätigen").click()
    page.wait_for_load_state()
    assert_page_ok(page, watches)
    assert "Arbeitsmappe „rhein-sieg-kreis.xlsx“ eingelesen: Kopie-Kreis (kopie):" in page.content()
    assert County.objects.get(slug="kopie").municipalities.count() == 19
