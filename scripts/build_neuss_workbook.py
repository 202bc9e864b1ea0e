"""Build fixtures/60_rhein-kreis-neuss.xlsx: the Rhein-Kreis Neuss' KIM plan as a county workbook.

The demo's second county with its KIM grant decided, written into the blank template (workbook.exporter) so
that it is imported through the same importer as any county's workbook. Run after a change of the format:

    .venv/bin/python manage.py shell < scripts/build_neuss_workbook.py

SOURCES AND ASSUMPTIONS (each also in the note of its row):
- Baustein 2: "Förderbescheid der Bezirksregierung Arnsberg vom 25.05.2020 zu Baustein 2 (Case-Management)
  ... für die dem Rhein-Kreis Neuss zustehenden sechs Stellen ... Durchführungszeitraum vom 01.07.2020 bis zum
  31.12.2020" (Sozial- und Gesundheitsausschuss des Rhein-Kreises Neuss, Niederschrift, Antwort zu TOP KIM,
  session.rhein-kreis-neuss.de/bi/to0050.asp?__ktonr=23500). From 2021 Baustein 2 is funded "ohne Antrag" by
  its flat rate (DOMAIN.md); the six posts are assumed to stay at 1,0 VZÄ each.
- Baustein 1: 3,5 Koordinationsstellen and 0,5 VZÄ Verwaltungsassistenz (Vorlage 50/4294/XVII/2024
  "Zwischenstand Kommunales Integrationsmanagement": 3 of 3,5 coordination posts and the 0,5 VZÄ assistant
  filled). Vorlage 004 (12.11.2021) reports no decision yet; the decision for 2022 recorded here is the demo's
  ASSUMPTION ("once decided", issue 11): as applied for, at the Land's rates; date and file number unknown.
- ASSUMPTIONS: pay grades as in the Rhein-Sieg-Kreis' Vorlage 002 (coordination E11, assistant E5, case
  management S12); all posts employed by the county from the start of their funding; no municipal cost share
  (the papers name none).
"""
from pathlib import Path

from django.conf import settings

from workbook.exporter import template

TARGET = Path(settings.BASE_DIR) / "fixtures" / "60_rhein-kreis-neuss.xlsx"
ASSUMED = "Annahme der Demodaten (scripts/build_neuss_workbook.py)"

ROWS = {
    "Kreis": [{"Kürzel": "rhein-kreis-neuss", "Name": "Rhein-Kreis Neuss", "Art": "Kreis"}],
    "Zuwendungsbescheide": [
        {"Schlüssel": "neuss-kim-b2-2020", "Programm": "kim", "Baustein": "kim-b2",
         "Bewilligungsbehörde": "Bezirksregierung Arnsberg", "Bescheid vom": "25.05.2020",
         "Bewilligungszeitraum von": "01.07.2020", "Bewilligungszeitraum bis": "31.12.2020",
         "Bemerkung": "Förderbescheid zu Baustein 2 (Case-Management) für sechs Stellen, Durchführungszeitraum "
                      "01.07.2020 bis 31.12.2020 (Niederschrift des Sozial- und Gesundheitsausschusses des "
                      "Rhein-Kreises Neuss, Antwort der Verwaltung zu KIM)."},
        {"Schlüssel": "neuss-kim-b1-2022", "Programm": "kim", "Baustein": "kim-b1",
         "Bewilligungsbehörde": "Bezirksregierung Arnsberg",
         "Bewilligungszeitraum von": "01.01.2022", "Bewilligungszeitraum bis": "31.12.2022",
         "Bemerkung": f"{ASSUMED}: Bescheid über Baustein 1 wie beantragt (Antrag vom 22.12.2020, Vorlage 004); "
                      "3,5 Koordinationsstellen und 0,5 VZÄ Verwaltungsassistenz laut Vorlage 50/4294/XVII/2024; "
                      "Datum, Aktenzeichen und Betrag nicht bekannt."},
    ],
    "Bewilligte Förderstellen": [
        {"Bescheid": "neuss-kim-b2-2020", "Förderstelle": "kim-b2-case-management", "Anzahl": 6, "VZÄ je Stelle": 1},
        {"Bescheid": "neuss-kim-b1-2022", "Förderstelle": "kim-b1-koordination", "Anzahl": 3.5, "VZÄ je Stelle": 1},
        {"Bescheid": "neuss-kim-b1-2022", "Förderstelle": "kim-b1-assistenz", "Anzahl": 1, "VZÄ je Stelle": 0.5},
    ],
    "Stellen": [
        *({"Schlüssel": f"neuss-koordination-{n}", "Bezeichnung": "Koordination KIM", "Baustein": "kim-b1",
           "Förderstelle": "kim-b1-koordination", "Entgeltgruppe": "E11", "Stellenanteil (VZÄ)": fte,
           "Status": "besetzt" if n <= 3 else "geplant", "Beginn": "01.01.2022", "Bemerkung": ASSUMED}
          for n, fte in ((1, 1), (2, 1), (3, 1), (4, 0.5))),
        {"Schlüssel": "neuss-verwaltungsassistenz", "Bezeichnung": "Verwaltungsassistenz KIM", "Baustein": "kim-b1",
         "Förderstelle": "kim-b1-assistenz", "Entgeltgruppe": "E5", "Stellenanteil (VZÄ)": 0.5, "Status": "besetzt",
         "Beginn": "01.01.2022", "Bemerkung": ASSUMED},
        *({"Schlüssel": f"neuss-case-management-{n}", "Bezeichnung": "Case Management KIM", "Baustein": "kim-b2",
           "Förderstelle": "kim-b2-case-management", "Entgeltgruppe": "S12", "Stellenanteil (VZÄ)": 1,
           "Status": "besetzt", "Beginn": "01.07.2020",
           "Bemerkung": f"sechs Stellen laut Förderbescheid vom 25.05.2020; {ASSUMED}: je 1,0 VZÄ, S12"}
          for n in range(1, 7)),
    ],
}


def build(target: Path = TARGET) -> Path:
    book = template()
    book["Info"]["B2"] = "Rhein-Kreis Neuss (Demodaten)"
    for title, rows in ROWS.items():
        ws = book[title]
        headers = [cell.value for cell in ws[1]]
        for row in rows:
            unknown = set(row) - set(headers)
            assert not unknown, f"{title}: {unknown}"
            ws.append([row.get(header) for header in headers])
    book.save(target)
    return target


print(f"geschrieben: {build()}")
