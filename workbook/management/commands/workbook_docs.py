"""Write docs/workbook.md from the workbook's spec: ``manage.py workbook_docs -o docs/workbook.md``."""
from pathlib import Path

from kimportal.management.base import OneLineErrorCommand
from workbook.docs import render_markdown


class Command(OneLineErrorCommand):
    help = "Schreibt die Beschreibung des Arbeitsmappen-Formats (Markdown) aus workbook/spec.py."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="Zieldatei; ohne: Ausgabe auf stdout")

    def handle(self, *args, output=None, **options):
        text = render_markdown()
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"geschrieben: {output}")
        else:
            self.stdout.write(text)
