"""Users of the county come with their roles; text that looks like a formula leaves as text and comes back."""
import pytest
from django.contrib.auth.models import Group

from kimportal import roles
from kimportal.models import User
from staffing.models import Position
from workbook.importer import import_workbook
from workbook.reader import WorkbookInvalid

from .helpers import RSK, exported, row_where, save


def test_new_users_get_their_role_and_no_password(demo, tmp_path):
    book = exported()
    book["Benutzer"].append(["kaemmerei-neu", "Karla", "Kämmerer", "karla@kreis.example", roles.FINANCE, "ja"])
    result = import_workbook(save(book, tmp_path))

    user = User.objects.get(username="kaemmerei-neu")
    assert user.county.slug == RSK
    assert list(user.groups.values_list("name", flat=True)) == [roles.FINANCE]
    assert not user.has_usable_password()
    assert next(s for s in result.sheets if s.title == "Benutzer").created == 1


def test_a_user_name_of_another_county_is_refused(demo_users, tmp_path):
    book = exported()
    book["Benutzer"].append(["ki-neuss", "Nele", "Neuss", "", roles.KI_STAFF, "ja"])
    with pytest.raises(WorkbookInvalid) as caught:
        import_workbook(save(book, tmp_path))
    row = book["Benutzer"].max_row
    assert str(caught.value.problems[0]) == (f"Tabelle „Benutzer“, Zeile {row}, Spalte „Benutzername“: „ki-neuss“ "
                                             "gibt es schon beim Kreis „Rhein-Kreis Neuss“; bitte einen anderen Wert "
                                             "wählen.")
    assert User.objects.get(username="ki-neuss").county.slug == "rhein-kreis-neuss"


def test_a_role_the_workbook_does_not_give_is_refused(demo, tmp_path):
    book = exported()
    book["Benutzer"].append(["chef", "", "", "", roles.ADMINISTRATION, "ja"])
    with pytest.raises(WorkbookInvalid) as caught:
        import_workbook(save(book, tmp_path))
    assert "Spalte „Rolle“: „Administration“ ist keine der Angaben „KI-Mitarbeitende“" in str(caught.value)
    assert not Group.objects.get(name=roles.ADMINISTRATION).user_set.filter(username="chef").exists()


def test_formula_looking_text_is_exported_as_text_and_read_back_unchanged(demo, tmp_path):
    position = Position.objects.filter(county__slug=RSK).order_by("pk").first()
    position.title = '=HYPERLINK("http://evil.example","x")'
    position.save()
    book = exported()
    ws = book["Stellen"]
    row = row_where(ws, "Schlüssel", f"S{position.pk}")
    cell = ws.cell(row, [c.value for c in ws[1]].index("Bezeichnung") + 1)
    # A string cell with Excel's text marker (quotePrefix): never a formula, and no apostrophe shown.
    assert (cell.value, cell.data_type, cell.quotePrefix) == ('=HYPERLINK("http://evil.example","x")', "s", True)

    result = import_workbook(save(book, tmp_path))
    assert result.total("geändert") == 0
    position.refresh_from_db()
    assert position.title == '=HYPERLINK("http://evil.example","x")'
