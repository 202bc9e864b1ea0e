"""docs/workbook.md describes the format the spec defines, column by column."""
from pathlib import Path

from django.conf import settings

from workbook.docs import render_markdown
from workbook.exporter import template
from workbook.spec import FORMAT_NAME, FORMAT_VERSION, active_sheets


def test_the_document_agrees_with_the_spec():
    document = Path(settings.BASE_DIR, "docs", "workbook.md").read_text(encoding="utf-8")
    assert document == render_markdown(), "docs/workbook.md is stale: run manage.py workbook_docs -o docs/workbook.md"


def test_every_sheet_and_column_is_documented():
    document = render_markdown()
    for sheet in active_sheets():
        assert f"## {sheet.title}\n" in document
        for column in sheet.columns:
            assert f"| {column.header} |" in document


def test_the_template_has_the_version_and_every_sheet_with_its_headers(db):
    book = template()
    assert book["Info"]["B1"].value == f"{FORMAT_NAME} {FORMAT_VERSION}"
    assert book.sheetnames == ["Info", *(s.title for s in active_sheets())]
    stellen = book["Stellen"]
    assert [c.value for c in stellen[1]][:3] == ["Schlüssel", "Bezeichnung", "Stellennummer"]
    assert stellen.max_row == 2  # one marked example row (tests/workbook/test_polish.py)
    assert "Beispiel: 0,75" not in stellen["I1"].comment.text and "Beispiel: 1" in stellen["I1"].comment.text
