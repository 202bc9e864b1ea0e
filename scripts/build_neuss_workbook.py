"""Build fixtures/60_rhein-kreis-neuss.xlsx: the Rhein-Kreis Neuss' KIM plan as a county workbook.

The demo's second county with its KIM grant decided, written into the blank template (workbook.exporter) so
that it is imported through the same importer as any county's workbook. Run after a change of the format:

    .venv/bin/python manage.py shell < scripts/build_neuss_workbook.py

SOURCES AND ASSUMPTIONS (here only: the rows' remarks read as the county's own notes, never as ours):
- Baustein 2: "Förderbescheid der Bezirksregierung Arnsberg vom 25.05.2020 zu Baustein 2 (Case-Management)
  ... für die dem Rhein-Kreis Neuss zustehenden sechs Stellen ... Durchführungszeitraum vom 01.07.2020 bis zum
  31.12.2020" (Sozial- und Gesundheitsausschuss des Rhein-Kreises Neuss, Niederschrift, Antwort zu TOP KIM,
  session.rhein-kreis-neuss.de/bi/to0050.asp?__ktonr=23500). From 2021 Baustein 2 is funded "ohne Antrag" by
  its flat rate (DOMAIN.md); the six posts are assumed to stay at 1,0 VZÄ each.
- Baustein 1: 3,5 Koordinationsstellen and 0,5 VZÄ Verwaltungsassistenz (Vorlage 50/4294/XVII/2024
  "Zwischenstand Kommunales Integrationsmanagement": 3 of 3,5 coordination posts and the 0,5 VZÄ assistant
  filled). Vorlage 004 (12.11.2021) reports no decision yet; the decision for 2022 recorded here is the demo's
  ASSUMPTION ("once decided", issue 11): as applied for (the application of 22.12.2020, fixtures/40_neuss.yaml,
  exported key "A2000", to which it is linked), at the Land's rates, received on 15.12.2021 (ASSUMED; the
  decision step of the application in 40_neuss.yaml carries the same date); file number and amount unknown.
- ASSUMPTIONS: pay grades as in the Rhein-Sieg-Kreis' Vorlage 002 (coordination E11, assistant E5, case
  management S12); all posts employed by the county from the start of their funding; no municipal cost share
  (the papers name none); the Stellennummern NE-KIM-01 … NE-KIM-11 are made up in the county's style.
"""
from pathlib import Path

from django.conf import settings

from workbook.exporter import template

TARGET = Path(settings.BASE_DIR) / "fixtures" / "60_rhein-kreis-neuss.xlsx"
NEUSS_APPLICATION = "A2000"  # the KIM application of fixtures/40_neuss.yaml (pk 2000), as the export names it
DECISION_RECEIVED = "15.12.2021"  # ASSUMED, see above; 40_neuss.yaml's decision step has the same date

ROWS = {
    "Kreis": [{"Kürzel": "rhein-kreis-neuss", "Name": "Rhein-Kreis Neuss", "Art": "Kreis"}],
    "Zuwendungsbescheide": [
        {"Schlüssel": "neuss-kim-b2-2020", "Programm": "kim", "Baustein": "kim-b2",
         "Bewilligungsbehörde": "Bezirksregierung Arnsberg", "Bescheid vom": "25.05.2020",
         "Bewilligungszeitraum von": "01.07.2020", "Bewilligungszeitraum bis": "31.12.2020",
         "Bemerkung": "Förderbescheid zu Baustein 2 (Case Management) für die sechs dem Kreis zustehenden "
                      "Stellen, Durchführungszeitraum 01.07.2020 bis 31.12.2020. Ab 2021 fachbezogene Pauschale "
                      "ohne Antrag."},
        {"Schlüssel": "neuss-kim-b1-2022", "Programm": "kim", "Baustein": "kim-b1", "Antrag": NEUSS_APPLICATION,
         "Bewilligungsbehörde": "Bezirksregierung Arnsberg", "eingegangen am": DECISION_RECEIVED,
         "Bewilligungszeitraum von": "01.01.2022", "Bewilligungszeitraum bis": "31.12.2022",
         "Bemerkung": "Bescheid über Baustein 1 wie beantragt (Antrag vom 22.12.2020, Konzept vom 30.08.2021): "
                      "3,5 Koordinationsstellen und 0,5 VZÄ Verwaltungsassistenz. Aktenzeichen und Betrag "
                      "nachtragen."},
    ],
    "Bewilligte Förderstellen": [
        {"Bescheid": "neuss-kim-b2-2020", "Förderstelle": "kim-b2-case-management", "Anzahl": 6, "VZÄ je Stelle": 1},
        {"Bescheid": "neuss-kim-b1-2022", "Förderstelle": "kim-b1-koordination", "Anzahl": 3.5, "VZÄ je Stelle": 1},
        {"Bescheid": "neuss-kim-b1-2022", "Förderstelle": "kim-b1-assistenz", "Anzahl": 1, "VZÄ je Stelle": 0.5},
    ],
    "Stellen": [
        *({"Schlüssel": f"neuss-koordination-{n}", "Bezeichnung": "Koordination KIM", "Stellennummer": f"NE-KIM-{n:02d}",
           "Organisationseinheit": "KI", "Baustein": "kim-b1", "Förderstelle": "kim-b1-koordination",
           "Entgeltgruppe": "E11", "Stellenanteil (VZÄ)": fte, "Status": "besetzt" if n <= 3 else "geplant",
           "Beginn": "01.01.2022",
           "Bemerkung": "Strategische Steuerung im KI" if n <= 3 else "halbe Koordinationsstelle, Ausschreibung geplant"}
          for n, fte in ((1, 1), (2, 1), (3, 1), (4, 0.5))),
        {"Schlüssel": "neuss-verwaltungsassistenz", "Bezeichnung": "Verwaltungsassistenz KIM",
         "Stellennummer": "NE-KIM-05", "Organisationseinheit": "KI", "Baustein": "kim-b1",
         "Förderstelle": "kim-b1-assistenz", "Entgeltgruppe": "E5", "Stellenanteil (VZÄ)": 0.5, "Status": "besetzt",
         "Beginn": "01.01.2022", "Bemerkung": "Verwaltungsassistenz der KIM-Koordination"},
        *({"Schlüssel": f"neuss-case-management-{n}", "Bezeichnung": "Case Management KIM",
           "Stellennummer": f"NE-KIM-{n + 5:02d}", "Organisationseinheit": "KI", "Baustein": "kim-b2",
           "Förderstelle": "kim-b2-case-management", "Entgeltgruppe": "S12", "Stellenanteil (VZÄ)": 1,
           "Status": "besetzt", "Beginn": "01.07.2020",
           "Bemerkung": "Case Management in den kreisangehörigen Kommunen; eine der sechs Stellen laut "
                        "Förderbescheid vom 25.05.2020"}
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
