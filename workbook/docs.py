"""docs/workbook.md, generated from workbook.spec (``manage.py workbook_docs``); a test keeps the two equal."""
from .exporter import INTRO, info_rows
from .spec import FORMAT_NAME, FORMAT_VERSION, INFO_SHEET, active_sheets

HEAD = f"""# Die Arbeitsmappe eines Kreises ({FORMAT_NAME} {FORMAT_VERSION})

<!-- Generated from workbook/spec.py by `manage.py workbook_docs -o docs/workbook.md`; do not edit by hand. -->

Ein Kreis zieht mit einer XLSX-Arbeitsmappe in kimportal ein, und sein ganzer Plan geht als Mappe wieder hinaus:

    .venv/bin/python manage.py export_county rhein-sieg-kreis -o rhein-sieg-kreis.xlsx
    .venv/bin/python manage.py import_county rhein-sieg-kreis.xlsx [--slug NEU --name NAME] [--dry-run]
        [--base-url https://kimportal.example.de]

Im Browser lädt die Administration die Mappe unter `/verwaltung/arbeitsmappe/` hoch, sieht je Tabelle, was neu
angelegt, geändert oder unverändert bleibt, und bestätigt; dort gibt es auch die leere Vorlage.

## Regeln

- Die Tabelle „{INFO_SHEET}“ trägt in Zeile 1 die Formatversion („{FORMAT_NAME} {FORMAT_VERSION}“). kimportal liest
  Mappen bis zu seiner Version und sagt bei einer neueren Mappe, dass es aktualisiert werden muss. Tabellen oder
  Spalten, die eine ältere Mappe noch nicht hat, bleiben beim Import unverändert.
- Zeile 1 jeder Tabelle sind die Spaltenköpfe; die Reihenfolge der Spalten ist frei, Pflichtspalten müssen da sein.
- Alles oder nichts: eine falsche Zelle (31.11.2021, 1,5 VZÄ, ein unbekanntes Kürzel, eine Kommune, die in der
  Einsatzplanung fehlt, ein doppelter Schlüssel, ein Verweis auf eine fehlende Zeile) verhindert den ganzen Import.
  Jede Meldung nennt Tabelle, Zeile, Spalte und den Grund; die Kommandozeile gibt die erste aus und endet mit
  Status 1, die Seite listet alle. Zeilen, die nur auf eine fehlerhafte Zeile verweisen (Bewilligte Förderstellen
  eines Bescheids mit falschem Datum), sind keine eigenen Fehler: die Meldung der fehlerhaften Zeile nennt sie
  („Deshalb übersprungen (sie verweisen auf diese Zeile): Tabelle „Bewilligte Förderstellen“, Zeilen 5 und 6“).
- Erneutes Einlesen aktualisiert vorhandene Einträge über ihren Schlüssel und legt nichts doppelt an. Geänderte
  Einträge bekommen einen Eintrag in der Änderungshistorie (mit der importierenden Person); was die Mappe nicht
  nennt, wird nicht gelöscht („nicht in der Mappe: bleibt unverändert“).
- Mit `--slug` unter einem neuen Kürzel eingelesen (eine Kopie), erhalten die Kürzel der eigenen Programme,
  Bausteine, Förderstellen (und die gleichnamigen Haushaltsstellen) das neue Kürzel vorangestellt, weil sie in der
  ganzen Installation eindeutig sind. Amtliche Schlüssel (Kreisschlüssel, Gemeindeschlüssel) und Benutzernamen
  gehören genau einem Kreis: die Kopie lässt einen Schlüssel, den schon ein anderer Kreis hat, leer und übernimmt
  keinen Benutzer, dessen Name vergeben ist; Vorschau und Kommandozeile sagen das je Art in einer Zeile
  („Amtliche Gemeindeschlüssel nicht übernommen: bereits Rhein-Sieg-Kreis zugeordnet (19 Gemeinden)“). Die
  Eigenanteile der Kopie sind dieselben wie die des Originals.
- Die Vorschau nennt Zahlen deutsch (0,75; 25.727) und listet nur Tabellen mit Zeilen; die übrigen einmal
  („übrige Tabellen leer: …“). Eine Datei, die keine XLSX-Arbeitsmappe ist (CSV, PDF, altes .xls), wird mit einer
  Meldung abgewiesen; nichts wird gespeichert.
- Die Vorlage hat je Tabelle in Zeile 2 eine markierte Beispielzeile, die der Import überspringt, und
  Auswahllisten für feste Angaben. Finanzcontrolling lädt die Mappe des eigenen Kreises herunter (nur lesen).
- Zeilen ohne natürlichen Schlüssel (Stellen, Bescheide, Anträge, Vereinbarungen, Ziele) haben eine Spalte
  „Schlüssel“: der Export schreibt z. B. `S12`; neue Zeilen bekommen einen beliebigen, eindeutigen Schlüssel.
- Text, den eine Tabellenkalkulation als Formel läse (`=`, `+`, `-`, `@` am Anfang), schreibt der Export als
  Textzelle mit Excels Textmarkierung (wie ein getipptes Apostroph, aber unsichtbar); ein Apostroph davor, wie
  ältere Exporte es schrieben, entfernt der Import. Leere Werte sind leere Zellen.
- Neue Benutzer (Tabelle „Benutzer“) haben kein Passwort. Nach dem Import zeigt die Seite der Administration
  einmal für jeden einen Link zum Festlegen des Passworts (`/konto/passwort-festlegen/…`); die Kommandozeile gibt
  ihn ebenso aus, mit `--base-url` als vollständige Adresse. Jeder Link gilt einmal und drei Tage (Djangos
  `PASSWORD_RESET_TIMEOUT`); die Administration gibt ihn nur an die jeweilige Person weiter.
"""


def render_markdown() -> str:
    """The whole document: the rules above, the Info sheet's notes, and per sheet a table of its columns."""
    lines = [HEAD, "## Hinweise der Tabelle „Info“", ""]
    lines += [f"- {line}" for line in INTRO]
    lines.append("")
    rows = info_rows()
    for sheet in active_sheets():
        lines += [f"## {sheet.title}", "", sheet.explanation + _key_text(sheet), "",
                  "| Spalte | Pflicht | Format | Erklärung | Beispiel |", "|---|---|---|---|---|"]
        for _, header, required, fmt, explanation, example in (r for r in rows if r[0] == sheet.title and r[1]):
            cells = [header, required, fmt, explanation, f"`{example}`" if example else ""]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)


def _key_text(sheet) -> str:
    if sheet.row_key:
        return " Schlüssel: die Spalte „Schlüssel“."
    if sheet.one_row:
        return ""
    headers = [c.header for c in sheet.key_columns]
    return f" Schlüssel: {', '.join(f'„{h}“' for h in headers)}." if headers else ""
