"""The county workbook, format version 1: one sheet per kind of record, one column per field.

This module is the format. The exporter writes it, the importer reads it, the template and
docs/workbook.md are generated from it (tests/workbook/test_docs.py keeps the document and the spec
equal). Adding a column is one ``Column`` in its sheet; adding a sheet is one ``Sheet`` in ``SHEETS``,
placed after the sheets it refers to. A change that makes old workbooks unreadable raises
``FORMAT_VERSION``.

The Land's reference data (programmes, modules, funded slots, rates, pay grades, KGSt workplace costs) is
never a county's: a county's workbook refers to it by code ("kim-b1", "E11"). The sheets "Programme",
"Bausteine", "Förderstellen" and "Fördersätze" hold only the county's own programmes (its project funds).

Cell kinds (how a cell is read, workbook.cells):

- ``text``: text as typed; a leading apostrophe before ``= + - @`` (the export's guard against formulas,
  kimportal.exports) is dropped again;
- ``date``: a real Excel date or "31.12.2021" (also "2021-12-31"); "31.11.2021" is refused;
- ``money`` (EUR, 2 places), ``fte`` (VZÄ, 3 places), ``quantity`` (days or %, 2 places): a number cell or a
  German number as text, read by kimportal.numbers ("1.234,56", "0,75");
- ``int``: a whole number; ``bool``: "ja" / "nein"; ``choice``: one of the field's German labels;
- ``ref``: a reference to another row by its natural key or code (``Column.ref`` names the kind, see REFS).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps

FORMAT_NAME = "kimportal-Arbeitsmappe"
FORMAT_VERSION = 1
INFO_SHEET = "Info"
# The template's example row carries this text in the column after the last one; the importer skips the row.
EXAMPLE_MARKER = "Beispielzeile – wird beim Import übersprungen"
KEY = "__key__"  # the "Schlüssel" column of sheets whose records have no natural key (workbook.models.RowKey)
ROLE = "__role__"  # the user's role (a Django group, kimportal.roles)

TEXT, DATE, MONEY, SIGNED_MONEY, FTE, QUANTITY, INT, BOOL, CHOICE, REF = (
    "text", "date", "money", "signed_money", "fte", "quantity", "int", "bool", "choice", "ref")

KIND_TEXT = {
    TEXT: "Text",
    DATE: "Datum (TT.MM.JJJJ oder Excel-Datum)",
    MONEY: "Betrag in Euro (1.234,56)",
    SIGNED_MONEY: "Betrag in Euro, auch negativ (-1.234,56)",
    FTE: "VZÄ, bis 3 Nachkommastellen (0,75)",
    QUANTITY: "Zahl, bis 2 Nachkommastellen (2,5)",
    INT: "ganze Zahl",
    BOOL: "ja / nein",
    CHOICE: "eine der Angaben",
    REF: "Verweis",
}


@dataclass(frozen=True)
class Ref:
    """What a reference column names: ``model`` found by ``field`` (its code or name) where ``scope`` says.

    ``scope``: ``county`` (a row of the county, ``path`` leads from the model to the county), ``land_or_own``
    (the Land's reference data or the county's own, ``path`` leads to the owning county, empty for the Land),
    ``own`` (only the county's own), ``key`` (a row of a sheet with a "Schlüssel" column), ``parent_pass_through``
    (the first-level pass-through of the same decision, by its recipient).
    """

    model: str
    field: str
    scope: str
    path: str
    noun: str
    sheet: str = ""


REFS = {
    "programme": Ref("programmes.Programme", "code", "land_or_own", "county", "Programm", "Programme"),
    "own_programme": Ref("programmes.Programme", "code", "own", "county", "eigenes Programm", "Programme"),
    "module": Ref("programmes.Module", "code", "land_or_own", "programme__county", "Baustein", "Bausteine"),
    "own_module": Ref("programmes.Module", "code", "own", "programme__county", "Baustein eines eigenen Programms",
                      "Bausteine"),
    "funded_slot": Ref("programmes.FundedSlot", "code", "land_or_own", "module__programme__county", "Förderstelle",
                       "Förderstellen"),
    "pay_grade": Ref("staffing.PayGrade", "code", "land_or_own", "", "Entgeltgruppe"),
    "municipality": Ref("kimportal.Municipality", "name", "county", "county", "Kommune", "Kommunen"),
    "partner": Ref("kimportal.Partner", "name", "county", "county", "Partner", "Partner"),
    "budget_line": Ref("budgeting.BudgetLine", "code", "county", "county", "Haushaltsstelle", "Haushaltsstellen"),
    "allocation": Ref("staffing.CaseManagementAllocation", "code", "county", "county", "CM-Einsatzplanung",
                      "CM-Einsatzplanung"),
    "coverage_source": Ref("budgeting.CoverageSource", "name", "county", "county", "Deckungsmittel", "Deckungsmittel"),
    "scenario": Ref("budgeting.Scenario", "name", "county", "county", "Szenario", "Szenarien"),
    "position": Ref("staffing.Position", KEY, "key", "county", "Stelle", "Stellen"),
    "decision": Ref("programmes.GrantDecision", KEY, "key", "county", "Zuwendungsbescheid", "Zuwendungsbescheide"),
    "application": Ref("programmes.Application", KEY, "key", "county", "Antrag", "Anträge"),
    "agreement": Ref("staffing.CooperationAgreement", KEY, "key", "county", "Kooperationsvereinbarung",
                     "Kooperationsvereinbarungen"),
    "parent_pass_through": Ref("programmes.PassThrough", "recipient__name", "parent_pass_through", "decision__county",
                               "Weiterleitung auf erster Stufe", "Weiterleitungen"),
}


@dataclass(frozen=True)
class Column:
    """One column: German ``header``, the model ``field`` it fills, how it is read (``kind``), ``required``."""

    header: str
    field: str
    kind: str = TEXT
    required: bool = False
    ref: str = ""
    help: str = ""
    example: str = ""

    def format_text(self, model=None) -> str:
        """The column's format in words, for the Info sheet and docs/workbook.md."""
        if self.kind == REF:
            target = REFS[self.ref]
            where = f" (Tabelle „{target.sheet}“)" if target.sheet and target.scope != "land_or_own" else ""
            what = "Schlüssel" if target.field == KEY else ("Kürzel" if target.field == "code" else "Name")
            if target.scope == "land_or_own":
                where = " (Kürzel des Landes oder eines eigenen Programms)"
            return f"Verweis auf {target.noun}: {what}{where}"
        if self.kind == CHOICE:
            labels = choice_labels(model, self.field) if model is not None else []
            return "eine von: " + ", ".join(f"„{label}“" for label in labels) if labels else KIND_TEXT[CHOICE]
        return KIND_TEXT[self.kind]


@dataclass(frozen=True)
class Sheet:
    """One sheet: the records of ``model`` that belong to the county (``county_path`` leads to it).

    ``key``: the fields that identify a row within the county (the natural key); with ``row_key`` the sheet
    has a "Schlüssel" column instead (``key_prefix`` + pk for records without a stored key). ``global_key``:
    the key is unique in the whole installation (codes, user names) and must not belong to another county.
    ``order``: the export's order. ``requires_app``: the sheet exists only with that app installed.
    ``one_row``: at most one row (the county, its budget statute).
    """

    title: str
    model: str
    county_path: str
    columns: tuple[Column, ...]
    explanation: str
    key: tuple[str, ...] = ()
    row_key: bool = False
    key_prefix: str = ""
    global_key: bool = False
    order: tuple[str, ...] = ()
    requires_app: str = ""
    one_row: bool = False
    first_rows_without: str = ""  # rows with this field empty are read first (first-level pass-throughs)

    @property
    def model_class(self):
        return apps.get_model(self.model)

    @property
    def label(self) -> str:
        return self.model.lower()

    def column(self, field_name: str) -> Column | None:
        return next((c for c in self.columns if c.field == field_name), None)

    @property
    def key_columns(self) -> tuple[Column, ...]:
        if self.row_key:
            return (self.column(KEY),)
        return tuple(c for c in (self.column(f) for f in self.key) if c is not None)


def choice_labels(model, field_name: str) -> list[str]:
    if field_name == ROLE:
        from kimportal import roles

        return list(COUNTY_ROLES(roles))
    return [str(label) for _, label in model._meta.get_field(field_name).choices]


def COUNTY_ROLES(roles):
    """The roles a county's user may get in the workbook; administrators are set up in the admin."""
    return (roles.KI_STAFF, roles.FINANCE, roles.COMMITTEE)


def C(header, field_name, kind=TEXT, required=False, ref="", help="", example="") -> Column:  # noqa: A002
    return Column(header, field_name, kind, required, ref, help, example)


def key_column(example: str) -> Column:
    return C("Schlüssel", KEY, required=True, example=example,
             help="Kennung der Zeile in dieser Mappe; bleibt bei jedem Export gleich. Neue Zeilen: beliebig, "
                  "eindeutig (z. B. „neu-1“).")


SHEETS: tuple[Sheet, ...] = (
    Sheet("Kreis", "kimportal.County", "", (
        C("Kürzel", "slug", required=True, example="rhein-sieg-kreis",
          help="Kürzel in Adressen und Befehlen; beim Import mit --slug ersetzt."),
        C("Name", "name", required=True, example="Rhein-Sieg-Kreis"),
        C("Art", "kind", CHOICE, example="Kreis"),
        C("Bezeichnung des KI", "centre_name", example="Kommunales Integrationszentrum Rhein-Sieg-Kreis"),
        C("Amt", "office"),
        C("Kreisschlüssel", "key", example="05382", help="amtlicher Schlüssel (IT.NRW), 5 oder 8 Stellen"),
        C("Haushaltssicherungskonzept", "budget_recovery_plan", BOOL, example="nein"),
    ), "Der Kreis oder die kreisfreie Stadt: genau eine Zeile.", key=("slug",), one_row=True),
    Sheet("Kommunen", "kimportal.Municipality", "county", (
        C("Name", "name", required=True, example="Alfter"),
        C("Art", "kind", CHOICE, example="Stadt / Gemeinde",
          help="In einer kreisfreien Stadt: Stadtbezirke oder Dienststellen"),
        C("Gemeindeschlüssel", "ags", example="05382004", help="amtlicher Gemeindeschlüssel (AGS), 8 Stellen"),
        C("Einwohnerzahl", "population", INT, example="23521"),
        C("Einwohnerzahl Stand", "population_as_of", DATE, example="31.12.2021"),
        C("Einwohnerzahl Quelle", "population_source", example="IT.NRW 12411-01ir"),
        C("Haushaltssicherungskonzept", "budget_recovery_plan", BOOL, example="nein"),
    ), "Die kreisangehörigen Städte und Gemeinden (in einer kreisfreien Stadt: Bezirke oder Dienststellen).",
        key=("name",), order=("name",)),
    Sheet("Umlagegrundlagen", "levy.LevyBasis", "municipality__county", (
        C("Kommune", "municipality", REF, True, "municipality", example="Alfter"),
        C("Haushaltsjahr", "fiscal_year", INT, True, example="2022"),
        C("Umlagegrundlagen", "amount", MONEY, True, example="61.234.567,00"),
        C("Quelle", "source", example="Haushaltsplan 2022, Kreisumlage"),
    ), "Umlagegrundlagen je Kommune und Haushaltsjahr (Kreisumlage).", key=("municipality", "fiscal_year"),
        order=("-fiscal_year", "municipality__name"), requires_app="levy"),
    Sheet("Partner", "kimportal.Partner", "county", (
        C("Name", "name", required=True, example="Caritasverband Rhein-Sieg e.V."),
        C("Art", "kind", CHOICE, True, example="Wohlfahrtsverband"),
        C("Kommune", "municipality", REF, ref="municipality", help="wenn der Partner eine Kommune ist"),
    ), "Dritte: Kommunen als Anstellungsträger oder Empfänger, Wohlfahrtsverbände.", key=("name",), order=("name",)),
    Sheet("Programme", "programmes.Programme", "county", (
        C("Kürzel", "code", required=True, example="rsk-projektmittel",
          help="in der ganzen Installation eindeutig; unter einem neuen Kürzel eingelesen mit diesem davor"),
        C("Name", "name", required=True, example="Projektmittel"),
        C("Mittelgeber", "funder"),
        C("Bewilligungsbehörde", "granting_authority"),
        C("Rechtsgrundlage", "legal_basis"),
        C("Beginn", "starts_on", DATE, example="01.01.2021"),
        C("Ende", "ends_on", DATE, example="31.12.2022"),
        C("Beschreibung", "description"),
    ), "Nur die eigenen Programme des Kreises; Landesprogramme werden mit ihrem Kürzel genannt.",
        key=("code",), global_key=True, order=("code",)),
    Sheet("Bausteine", "programmes.Module", "programme__county", (
        C("Kürzel", "code", required=True, example="rsk-projektmittel"),
        C("Programm", "programme", REF, True, "own_programme", example="rsk-projektmittel"),
        C("Name", "name", required=True, example="Projektmittel"),
        C("Reihenfolge", "position", INT, example="1"),
        C("Förderung nur mit Bescheid", "application_required", BOOL, example="ja"),
        C("Beschreibung", "description"),
    ), "Bausteine der eigenen Programme.", key=("code",), global_key=True, order=("code",)),
    Sheet("Förderstellen", "programmes.FundedSlot", "module__programme__county", (
        C("Kürzel", "code", required=True, example="rsk-projektmittel-koordination"),
        C("Baustein", "module", REF, True, "own_module", example="rsk-projektmittel"),
        C("Bezeichnung", "name", required=True, example="Projektkoordination"),
        C("Förderung", "basis", CHOICE, example="je VZÄ (× Stellenanteil)"),
        C("Nominaler Stellenanteil", "nominal_fte", FTE, example="1"),
    ), "Förderstellen der eigenen Programme.", key=("code",), global_key=True, order=("code",)),
    Sheet("Fördersätze", "programmes.FundingRate", "module__programme__county", (
        C("Baustein", "module", REF, True, "own_module", example="rsk-projektmittel"),
        C("Förderstelle", "funded_slot", REF, ref="funded_slot"),
        C("Art", "kind", CHOICE, True, example="Jahrespauschale"),
        C("Kostenart", "cost_type", CHOICE, True, example="Maßnahmen"),
        C("Betrag pro Jahr", "amount", MONEY, True, example="50.000,00"),
        C("Höchstbetrag", "cap", MONEY),
        C("Höchstens VZÄ", "max_fte", FTE),
        C("gültig ab", "valid_from", DATE, True, example="01.01.2021"),
        C("gültig bis", "valid_until", DATE),
        C("Quelle", "source"),
    ), "Fördersätze der eigenen Programme.", key=("module", "funded_slot", "kind", "cost_type", "valid_from"),
        order=("module__code", "valid_from", "pk")),
    Sheet("Anträge", "programmes.Application", "county", (
        key_column("A2000"),
        C("Programm", "programme", REF, True, "programme", example="kim"),
        C("Baustein", "module", REF, ref="module"),
        C("Bezeichnung", "title", required=True, example="KIM – Antrag 2021"),
        C("Aktenzeichen", "reference"),
        C("Bemerkung", "note"),
    ), "Anträge auf Förderung.", row_key=True, key_prefix="A", order=("title", "pk")),
    Sheet("Antragsschritte", "programmes.ApplicationStep", "application__county", (
        C("Antrag", "application", REF, True, "application", example="A2000"),
        C("Schritt", "kind", CHOICE, True, example="Antrag gestellt"),
        C("erledigt am", "occurred_on", DATE, example="22.12.2020"),
        C("fällig am", "due_on", DATE),
        C("Bemerkung", "note"),
    ), "Die datierten Schritte eines Antrags.", key=("application", "kind", "occurred_on", "due_on"),
        order=("application__title", "application", "occurred_on", "due_on", "pk")),
    Sheet("Zuwendungsbescheide", "programmes.GrantDecision", "county", (
        key_column("B1"),
        C("Programm", "programme", REF, True, "programme", example="kim"),
        C("Baustein", "module", REF, ref="module", example="kim-b1"),
        C("Antrag", "application", REF, ref="application"),
        C("Aktenzeichen", "reference"),
        C("Bewilligungsbehörde", "authority", example="Bezirksregierung Arnsberg"),
        C("Bescheid vom", "issued_on", DATE, example="22.02.2021"),
        C("eingegangen am", "received_on", DATE),
        C("Bewilligungszeitraum von", "period_start", DATE, True, example="01.01.2021"),
        C("Bewilligungszeitraum bis", "period_end", DATE, True, example="31.12.2021"),
        C("Bewilligter Betrag", "amount", MONEY),
        C("Weiterleitung an Dritte zugelassen", "pass_through_permitted", BOOL, example="ja"),
        C("Weiterleitung auf zweiter Stufe zugelassen", "second_level_permitted", BOOL, example="nein"),
        C("Verwendungsnachweis fällig", "proof_of_use_due", DATE),
        C("Bemerkung", "note"),
    ), "Zuwendungsbescheide des Kreises.", row_key=True, key_prefix="B", order=("period_start", "pk")),
    Sheet("Bewilligte Förderstellen", "programmes.GrantedSlot", "decision__county", (
        C("Bescheid", "decision", REF, True, "decision", example="B1"),
        C("Förderstelle", "funded_slot", REF, True, "funded_slot", example="kim-b1-koordination"),
        C("Anzahl", "count", FTE, True, example="3,5"),
        C("VZÄ je Stelle", "nominal_fte", FTE, True, example="1"),
    ), "Die Förderstellen, die ein Bescheid bewilligt.", key=("decision", "funded_slot"),
        order=("decision__period_start", "decision", "funded_slot__code")),
    Sheet("Weiterleitungen", "programmes.PassThrough", "decision__county", (
        C("Bescheid", "decision", REF, True, "decision", example="B1"),
        C("über Erstempfänger", "parent", REF, ref="parent_pass_through",
          help="leer: der Kreis leitet weiter; sonst der Empfänger der ersten Stufe (zweite Stufe)"),
        C("Empfänger", "recipient", REF, True, "partner", example="Caritasverband Rhein-Sieg e.V."),
        C("Betrag", "amount", MONEY),
        C("Zweck", "purpose"),
        C("Weiterleitungsvertrag vom", "contract_signed_on", DATE),
        C("Verwendungsnachweis fällig", "proof_of_use_due", DATE),
    ), "Weiterleitungen an Dritte (Nr. 12 VV zu § 44 LHO), auf zwei Stufen.", key=("decision", "parent", "recipient"),
        order=("decision", "parent", "recipient__name"), first_rows_without="parent"),
    Sheet("Haushaltsstellen", "budgeting.BudgetLine", "county", (
        C("Produkt / Sachkonto", "code", required=True, example="31.10.01-KIM-CM"),
        C("Bezeichnung", "name", required=True, example="KIM Case Management – Eigenanteil"),
    ), "Haushaltsstellen, auf denen Eigenanteile veranschlagt sind.", key=("code",), order=("code",)),
    Sheet("Haushaltsansätze", "budgeting.Appropriation", "budget_line__county", (
        C("Haushaltsstelle", "budget_line", REF, True, "budget_line", example="31.10.01-KIM-CM"),
        C("Haushaltsjahr", "fiscal_year", INT, True, example="2022"),
        C("Ansatz", "amount", MONEY, True, example="121.140,00"),
        C("Bemerkung", "note"),
    ), "Ansätze je Haushaltsstelle und Haushaltsjahr.", key=("budget_line", "fiscal_year"),
        order=("budget_line__code", "fiscal_year")),
    Sheet("Deckungsmittel", "budgeting.CoverageSource", "county", (
        C("Bezeichnung", "name", required=True, example="Integrationspauschale (§ 14c TIntG)"),
        C("Art", "kind", CHOICE, example="Pauschale des Landes"),
        C("Rechtsgrundlage", "legal_basis"),
        C("Gesamtbetrag", "amount", MONEY),
        C("Restbetrag", "balance", MONEY, True, example="450.000,00"),
        C("Restbetrag zum", "balance_as_of", DATE, True, example="27.05.2021"),
        C("Restbetrag frei ab", "balance_free_from", DATE),
        C("verwendbar bis", "usable_until", DATE, True, example="30.11.2021"),
        C("Verlängerung", "extension_status", CHOICE),
        C("verlängert bis", "extended_until", DATE),
        C("Verwendungsnachweis fällig", "proof_of_use_due", DATE),
        C("Bemerkung", "note"),
    ), "Deckungsmittel, die Eigenanteile bezahlen.", key=("name",), order=("pk",)),
    Sheet("Fristen nach Zweck", "budgeting.CoverageWindow", "source__county", (
        C("Deckungsmittel", "source", REF, True, "coverage_source", example="Integrationspauschale (§ 14c TIntG)"),
        C("Programm", "programme", REF, True, "programme", example="kim"),
        C("Baustein", "module", REF, ref="module"),
        C("verwendbar bis", "usable_until", DATE, True, example="30.06.2020"),
        C("Bemerkung", "note"),
    ), "Verwendungsfristen eines Deckungsmittels je Programm oder Baustein.", key=("source", "programme", "module"),
        order=("source__name", "programme__code", "module__code")),
    Sheet("CM-Einsatzplanung", "staffing.CaseManagementAllocation", "county", (
        C("Kürzel", "code", required=True, example="cm-kommunen-2021"),
        C("Baustein", "module", REF, True, "module", example="kim-b2"),
        C("Bezeichnung", "name", required=True, example="CM-Einsatz in den Kommunen 2021/2022"),
        C("Kapazität (VZÄ)", "capacity_fte", FTE, True, example="7"),
        C("gültig ab", "valid_from", DATE, True, example="01.09.2021"),
        C("gültig bis", "valid_until", DATE),
    ), "Einsatzplanungen des Case Managements; die Tage je Kommune stehen in „Tage je Kommune“.", key=("code",),
        order=("code",)),
    Sheet("Tage je Kommune", "staffing.AllocationShare", "allocation__county", (
        C("Einsatzplanung", "allocation", REF, True, "allocation", example="cm-kommunen-2021"),
        C("Kommune", "municipality", REF, True, "municipality", example="Alfter"),
        C("Tage pro Woche", "days", QUANTITY, example="2"),
        C("kein Bedarf", "no_demand", BOOL, example="nein"),
        C("Sonderregelung", "special_arrangement"),
        C("weitergegeben an", "handed_over_to", REF, ref="partner"),
    ), "Je Einsatzplanung eine Zeile für jede Kommune (Tage oder „kein Bedarf“).", key=("allocation", "municipality"),
        order=("allocation__code", "municipality__name")),
    Sheet("Kooperationsvereinbarungen", "staffing.CooperationAgreement", "county", (
        key_column("K1"),
        C("Kommune", "municipality", REF, True, "municipality", example="Alfter"),
        C("Einsatzplanung", "allocation", REF, ref="allocation", example="cm-kommunen-2021"),
        C("unterzeichnet am", "signed_on", DATE),
        C("gültig ab", "valid_from", DATE, True, example="01.09.2021"),
        C("gültig bis", "valid_until", DATE),
        C("Regelungen", "note"),
    ), "Kooperationsvereinbarungen mit den Kommunen.", row_key=True, key_prefix="K",
        order=("municipality__name", "valid_from", "pk")),
    Sheet("Kostenaufteilung", "staffing.CostSplit", "agreement__county", (
        C("Vereinbarung", "agreement", REF, True, "agreement", example="K1"),
        C("Kostenart", "item", CHOICE, True, example="Raum- und Sachkosten"),
        C("trägt", "borne_by", CHOICE, True, example="Kommune / Partner"),
        C("Betrag je VZÄ und Jahr", "annual_per_fte", MONEY, example="6.250,00"),
    ), "Wer welche Kosten einer Vereinbarung trägt.", key=("agreement", "item"), order=("agreement", "item")),
    Sheet("Stellen", "staffing.Position", "county", (
        key_column("S1"),
        C("Bezeichnung", "title", required=True, example="Koordination KIM"),
        C("Stellennummer", "position_number"),
        C("Stelleninhaber/in", "holder_name"),
        C("Organisationseinheit", "unit", example="KI"),
        C("Baustein", "module", REF, True, "module", example="kim-b1"),
        C("Förderstelle", "funded_slot", REF, ref="funded_slot", example="kim-b1-koordination"),
        C("Entgeltgruppe", "pay_grade", REF, True, "pay_grade", example="E11"),
        C("Stellenanteil (VZÄ)", "fte", FTE, True, example="1"),
        C("Status", "status", CHOICE, example="besetzt"),
        C("Status seit", "status_since", DATE),
        C("Beginn", "start_on", DATE, True, example="01.12.2021"),
        C("Ende", "end_on", DATE),
        C("befristet bis", "fixed_term_until", DATE),
        C("Anstellungsträger", "employer", REF, ref="partner", help="leer: der Kreis"),
        C("Zuschuss des Kreises je VZÄ und Jahr", "county_top_up", MONEY),
        C("CM-Einsatzplanung", "allocation", REF, ref="allocation"),
        C("Eigenanteil veranschlagt auf", "own_share_budget_line", REF, ref="budget_line"),
        C("Bemerkung", "note"),
    ), "Stellen des KI und der Partner.", row_key=True, key_prefix="S",
        # pk order within a module: the engine forms blocks in that order (budgeting.selectors), so a copy keeps it.
        order=("module__code", "pk")),
    Sheet("Aufteilung des Eigenanteils", "staffing.OwnShareSplit", "position__county", (
        C("Stelle", "position", REF, True, "position", example="S1"),
        C("Kommune / Partner", "partner", REF, True, "partner", example="Caritasverband Rhein-Sieg e.V."),
        C("Tage je Arbeitswoche", "days", QUANTITY),
        C("Anteil in %", "percent", QUANTITY, example="50"),
        C("Betrag bis zu (€ je Jahr)", "annual_amount", MONEY, example="5.000,00"),
        C("Vereinbarung", "agreement"),
    ), "Aufteilung des Eigenanteils einer Stelle eines anderen Anstellungsträgers auf Kommunen.",
        key=("position", "partner"), order=("position", "partner__name")),
    Sheet("Szenarien", "budgeting.Scenario", "county", (
        C("Name", "name", required=True, example="Baustein 3 – Variante 1"),
        C("Beschreibung", "description"),
        C("Reihenfolge", "position", INT, example="1"),
    ), "Szenarien, die mit dem Planstand verglichen werden.", key=("name",), order=("position", "name")),
    Sheet("Annahmen Stellen", "budgeting.ScenarioPositionOverride", "scenario__county", (
        C("Szenario", "scenario", REF, True, "scenario", example="Baustein 3 – Variante 1"),
        C("Stelle", "position", REF, True, "position", example="S1"),
        C("Stellenanteil (VZÄ)", "fte", FTE, example="0,75"),
        C("im Szenario nicht enthalten", "excluded", BOOL, example="nein"),
    ), "Annahmen eines Szenarios zu Stellen.", key=("scenario", "position"), order=("scenario__name", "position")),
    Sheet("Annahmen Deckung", "budgeting.ScenarioCoverageOverride", "scenario__county", (
        C("Szenario", "scenario", REF, True, "scenario", example="Baustein 3 – Variante 1"),
        C("Deckungsmittel", "source", REF, True, "coverage_source", example="Integrationspauschale (§ 14c TIntG)"),
        C("verwendbar bis", "usable_until", DATE, example="30.11.2022"),
        C("Restbetrag", "balance", MONEY),
    ), "Annahmen eines Szenarios zu Deckungsmitteln.", key=("scenario", "source"), order=("scenario__name", "source")),
    Sheet("Beträge laut Vorlage", "budgeting.StatedFigure", "county", (
        C("Szenario", "scenario", REF, ref="scenario", help="leer: Planstand"),
        C("Block", "block_key", required=True, example="kim-b1-koordination"),
        C("Zeitraum von", "period_start", DATE, True, example="01.12.2021"),
        C("Zeitraum bis", "period_end", DATE, True, example="31.12.2022"),
        C("Größe", "field", CHOICE, True, example="Eigenanteil"),
        C("Betrag laut Vorlage", "amount", SIGNED_MONEY, True, example="158.644,00"),
        C("Quelle", "source", required=True, example="Vorlage 002, Seite 5"),
    ), "Beträge, wie eine Vorlage sie druckt, zum Vergleich mit den berechneten.",
        key=("scenario", "block_key", "period_start", "period_end", "field"),
        order=("period_start", "block_key", "field", "pk")),
    Sheet("Schwerpunktziele", "programmes.FocusGoal", "county", (
        key_column("Z1"),
        C("Handlungsfeld", "field_of_action", CHOICE, True, example="Bildung"),
        C("Nr.", "number", INT, example="1"),
        C("Schwerpunkt", "title", required=True, example="Übergang Elementar- / Primarbereich"),
        C("Ziel", "text", required=True, example="Eltern mit Einwanderungsgeschichte beim Übergang in die Schule "
                                                  "begleiten"),
        C("Maßnahmen", "measures"),
        C("Laufzeit ab", "starts_on", DATE),
        C("fällig am", "due_on", DATE, True, example="31.12.2023"),
        C("genehmigt am", "approved_on", DATE),
        C("genehmigt durch", "approved_by"),
        C("dem Ausschuss berichtet am", "reported_on", DATE),
        C("Status", "status", CHOICE, example="geplant"),
    ), "Schwerpunktziele.", row_key=True, key_prefix="Z", order=("due_on", "number", "pk")),
    Sheet("Wertgrenzen", "provisions.ProvisionStatute", "county", (
        C("Rechtsgrundlage", "source", example="§ 7 Haushaltssatzung 2022"),
        C("Anmerkung", "note"),
    ), "Wertgrenzen für überplanmäßige Bereitstellungen (§ 83 GO NRW): höchstens eine Zeile.", one_row=True),
    Sheet("Wertgrenzen-Stufen", "provisions.ProvisionStage", "statute__county", (
        C("Art der Aufwendungen", "spending_kind", CHOICE, example="freiwillig und pflichtig"),
        C("bis einschließlich", "upper_limit", MONEY,
          help="leer: die letzte Stufe (alle Beträge darüber); sonst z. B. 5.000,00"),
        C("entscheidet", "body", required=True, example="Kreistag"),
        C("Bezeichnung in der Satzung", "label", example="erheblich"),
    ), "Die Stufen der Haushaltssatzung: bis zu einer Grenze (einschließlich) entscheidet eine Stelle.",
        key=("spending_kind", "upper_limit"), order=("spending_kind", "upper_limit")),
    Sheet("Art der Aufwendungen", "provisions.ProgrammeSpendingKind", "county", (
        C("Programm", "programme", REF, True, "programme", example="kim"),
        C("Art der Aufwendungen", "spending_kind", CHOICE, example="pflichtig"),
        C("Begründung", "reason"),
    ), "Ob die Aufwendungen eines Programms freiwillig oder pflichtig sind.", key=("programme",),
        order=("programme__code",)),
    Sheet("Benutzer", "kimportal.User", "county", (
        C("Benutzername", "username", required=True, example="ki-beispiel"),
        C("Vorname", "first_name"),
        C("Nachname", "last_name"),
        C("E-Mail", "email", example="ki@kreis.example"),
        C("Rolle", ROLE, CHOICE, True, example="KI-Mitarbeitende"),
        C("aktiv", "is_active", BOOL, example="ja"),
    ), "Benutzer des Kreises mit ihrer Rolle. Neue Benutzer erhalten kein Passwort: nach dem Import zeigt kimportal "
       "der Administration (Seite und Kommandozeile) für jeden einen einmaligen Link zum Festlegen des Passworts, "
       "den sie nur an diese Person weitergibt.", key=("username",), global_key=True, order=("username",)),
)


def active_sheets() -> tuple[Sheet, ...]:
    """The sheets of this installation: a sheet of an app that is not installed is left out."""
    return tuple(s for s in SHEETS if not s.requires_app or apps.is_installed(s.requires_app))


def sheet_named(title: str) -> Sheet | None:
    return next((s for s in active_sheets() if s.title == title), None)


__all__ = ["SHEETS", "Sheet", "Column", "Ref", "REFS", "active_sheets", "sheet_named", "FORMAT_NAME",
           "FORMAT_VERSION", "INFO_SHEET", "KEY", "ROLE"]
