"""The proof of use of a fiscal year as an XLSX workbook: an overview sheet and one sheet per grant decision.

Input is the report's JSON data (reports.papers.verwendungsnachweis.build after reports.registry.report_data: money as
decimal strings); amounts become number cells in EUR with the format ``#,##0.00 €`` (Excel shows them German in a
German locale), texts are neutralised against formula injection (kimportal.exports). Nothing here computes a figure.
"""
from __future__ import annotations

import io
import re
from decimal import Decimal

from kimportal.exports import neutralise_cell

MONEY = '#,##0.00 "€"'
SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def _number(value):
    return None if value in (None, "") else Decimal(str(value))


def _title(text: str, taken: set[str]) -> str:
    """An Excel sheet name (≤ 31 characters, no []:*?/\\), unique in the workbook."""
    base = SHEET_NAME.sub(" ", text)[:28].strip() or "Bescheid"
    name, n = base, 2
    while name.lower() in taken:
        name, n = f"{base[:26]} {n}", n + 1
    taken.add(name.lower())
    return name


def proof_workbook(data: dict, county) -> bytes:
    """The workbook (bytes) of the report data of ``reports.papers.verwendungsnachweis`` for ``county``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    bold = Font(bold=True)
    overview = book.active
    overview.title = "Übersicht"
    taken = {"übersicht"}

    def put(sheet, row: list, *, strong: bool = False, money_from: int | None = None):
        sheet.append([neutralise_cell(v) if isinstance(v, str) else v for v in row])
        cells = sheet[sheet.max_row]
        for index, cell in enumerate(cells):
            if strong:
                cell.font = bold
            if money_from is not None and index >= money_from and isinstance(cell.value, Decimal):
                cell.number_format = MONEY

    put(overview, [f"Verwendungsnachweise {data['year']} – {county.name}"], strong=True)
    put(overview, [])
    put(overview, ["Zuwendungsbescheid", "Art", "Zeitraum", "bewilligt", "erhalten", "zustehend",
                   "zurückzuzahlen", "noch abrufbar", "Stand"], strong=True)
    for proof in data["proofs"]:
        put(overview, [proof["label"], proof["kind"], proof["period"], _number(proof["granted"]),
                       _number(proof["received"]), _number(proof["grant_due"]), _number(proof["repayment"]),
                       _number(proof["still_to_call"]), proof["status"]], money_from=3)
    totals = data["totals"]
    put(overview, ["Summe", "", "", _number(totals["granted"]), _number(totals["received"]), _number(totals["grant_due"]),
                   _number(totals["repayment"]), _number(totals["still_to_call"]), ""], strong=True, money_from=3)
    if data["sources"]:
        put(overview, [])
        put(overview, ["Deckungsmittel", "Rechtsgrundlage", "fällig am", "Stand"], strong=True)
        for source in data["sources"]:
            put(overview, [source["name"], source["legal_basis"], source["deadline"], source["status"]])
    overview.column_dimensions["A"].width = 70
    for column in "BCDEFGHI":
        overview.column_dimensions[column].width = 18

    for number, proof in enumerate(data["proofs"], start=1):
        sheet = book.create_sheet(_title(f"{number}. {proof['label']}", taken))
        put(sheet, [f"{proof['kind']} {data['year']}: {proof['label']}"], strong=True)
        put(sheet, ["Zuwendungsempfänger", county.name])
        put(sheet, ["Bewilligungsbehörde", proof["authority"] or "nicht erfasst"])
        put(sheet, ["Zuwendungsbescheid", (f"vom {proof['issued_on']}" if proof["issued_on"] else "Datum nicht erfasst")
                    + (f", Az. {proof['reference']}" if proof["reference"] else "")])
        put(sheet, ["Bewilligungszeitraum", proof["decision_period"]])
        put(sheet, ["Nachgewiesener Zeitraum", proof["period"]])
        put(sheet, ["Stand", proof["status"]])
        if proof["open_months"]:
            put(sheet, ["Vorläufig", f"Für {proof['open_months']} von {proof['months']} Monaten liegen noch keine "
                                     "Ist-Kosten vor; dort steht der Plan (Hochrechnung)."])
        put(sheet, [])
        put(sheet, ["Ausgaben", "Plan", "Ist bzw. Hochrechnung", "Differenz"], strong=True)
        for row in [*proof["spending"], proof["spending_total"]]:
            put(sheet, [row["label"], _number(row["plan"]), _number(row["result"]), _number(row["difference"])],
                strong=row["key"] == "total", money_from=1)
        put(sheet, [])
        put(sheet, ["Einnahmen", "Plan", "Ist bzw. Hochrechnung", "Differenz"], strong=True)
        for row in [*proof["income"], proof["income_total"]]:
            put(sheet, [row["label"], _number(row["plan"]), _number(row["result"]), _number(row["difference"])],
                strong=row["key"] == "total", money_from=1)
        put(sheet, [])
        put(sheet, ["Abrechnung der Zuwendung", "Betrag"], strong=True)
        for label, key in (("bewilligt", "granted"), ("Förderung laut Plan", "plan_grant"),
                           ("entfällt wegen unbesetzter Monate", "lost_grant"), ("zustehend", "grant_due"),
                           ("erhalten (Mittelabrufe)", "received"), ("zurückzuzahlen", "repayment"),
                           ("noch abrufbar", "still_to_call")):
            put(sheet, [label, _number(proof[key])], strong=key == "repayment", money_from=1)
        put(sheet, ["Grundlage des bewilligten Betrags", proof["granted_basis"]])
        if proof["recipients"]:
            put(sheet, [])
            put(sheet, ["Weiterleitung an", "Betrag", "verwendet", "zurückzuzahlen", "Nachweis", "Zweck"], strong=True)
            for r in proof["recipients"]:
                put(sheet, [r["recipient"], _number(r["amount"]), _number(r["used"]), _number(r["repayment"]),
                            r["status"], r["purpose"]], money_from=1)
        if proof["notes"]:
            put(sheet, [])
            put(sheet, ["Hinweise"], strong=True)
            for note in proof["notes"]:
                put(sheet, [note])
        put(sheet, [])
        put(sheet, ["Sachbericht"], strong=True)
        put(sheet, [proof["factual_report"] or "(noch nicht geschrieben)"])
        sheet.cell(sheet.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions["A"].width = 60
        for column in "BCDEF":
            sheet.column_dimensions[column].width = 20
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
