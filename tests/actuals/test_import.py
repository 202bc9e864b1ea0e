"""Importing actual costs: the demo's figures, idempotent re-imports, undo, refused files, the plan untouched."""
import json
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from actuals.models import ActualCost, ImportBatch, ImportedRow
from actuals.parsing import ActualsFileInvalid
from actuals.selectors import actuals_by_position_month
from actuals.services import (ActualsRefused, actual_costs_update, actuals_import, import_batch_undo,
                              import_batch_undo_plan)
from staffing.models import Position

from .helpers import csv, rsk

pytestmark = pytest.mark.usefixtures("demo")
JAN, FEB, APR = date(2022, 1, 1), date(2022, 2, 1), date(2022, 4, 1)


def figure(number: str, month: date, cost_type: str = "personnel") -> Decimal | None:
    row = ActualCost.objects.filter(position__position_number=number, month=month, cost_type=cost_type).first()
    return row.amount if row else None


def test_every_rhein_sieg_demo_position_has_a_stellennummer():
    numbers = list(Position.objects.filter(county=rsk()).order_by("pk").values_list("position_number", flat=True))
    assert numbers[:5] == ["KI-B1-01", "KI-B1-02", "KI-B1-03", "KI-B1-04", "KI-B1-05"]
    assert len(numbers) == 19 and all(numbers) and len(set(numbers)) == 19


def test_the_demo_has_actuals_for_january_to_june_2022_as_one_import():
    batch = ImportBatch.objects.get(county=rsk())
    assert (batch.file_name, batch.rows, batch.user) == ("70_actuals.csv", 108, None)
    assert batch.imported_by == "Demodaten (load_demo)"
    # 18 positions (Troisdorf's own case manager is not in the county's payroll) × 6 months.
    assert batch.totals == {"2022-01": "121407.05", "2022-02": "121407.05", "2022-03": "121407.05",
                            "2022-04": "131683.76", "2022-05": "131683.76", "2022-06": "131683.76"}
    assert batch.total == Decimal("759272.43")
    # A coordinator's month is 1/12 of the KGSt workplace cost of E11 (106.540 €), from April 1,8 % more (TVöD).
    assert figure("KI-B1-01", JAN) == Decimal("8878.33") and figure("KI-B1-01", APR) == Decimal("9038.14")
    # Case Management in den Kommunen 7 was vacant from January to March: recorded as 0,00 €, not missing.
    assert [figure("KI-B2-11", date(2022, m, 1)) for m in (1, 3, 4)] == [Decimal("0"), Decimal("0"),
                                                                        Decimal("8091.40")]
    assert figure("KI-B2-04", JAN) is None


def test_loading_the_demo_again_records_no_second_import():
    call_command("load_demo", "--no-users", verbosity=0)
    assert ImportBatch.objects.count() == 1 and ActualCost.objects.count() == 108


def test_the_selector_gives_figures_per_position_and_month_for_the_forecast():
    county = rsk()
    b1 = Position.objects.get(county=county, position_number="KI-B1-04")
    found = actuals_by_position_month(county, date(2022, 5, 15), date(2022, 12, 31))
    assert found[b1.pk] == {date(2022, 5, 1): {"personnel": Decimal("4519.07")},
                            date(2022, 6, 1): {"personnel": Decimal("4519.07")}}
    assert len(found) == 18


def test_re_importing_replaces_the_figure_and_never_adds_to_it():
    county = rsk()
    content = csv("KI-B1-01;01.2022;Personalkosten;9.000,00", "KI-B1-01;07.2022;Personalkosten;9.100,00")
    first = actuals_import(county=county, content=content, file_name="juli.csv")
    assert first.summary() == "2 Zeilen: 1 neu, 1 ersetzt, 0 unverändert"
    again = actuals_import(county=county, content=content, file_name="juli.csv")
    assert again.summary() == "2 Zeilen: 0 neu, 0 ersetzt, 2 unverändert"
    assert figure("KI-B1-01", JAN) == Decimal("9000.00") and figure("KI-B1-01", date(2022, 7, 1)) == Decimal("9100")
    assert ActualCost.objects.filter(county=county).count() == 109
    assert ImportBatch.objects.get(pk=first.batch.pk).totals == {"2022-01": "9000.00", "2022-07": "9100.00"}


def test_a_dry_run_shows_what_is_replaced_and_saves_nothing():
    plan = actuals_import(county=rsk(), content=csv("KI-B1-01;01.2022;PK;9.000"), file_name="x.csv", dry_run=True)
    [replaced] = plan.replaced
    assert (replaced.previous_amount, replaced.row.amount, replaced.position_title) == (
        Decimal("8878.33"), Decimal("9000"), "Koordination Strategische Steuerung 1")
    assert plan.batch is None and ImportBatch.objects.count() == 1 and figure("KI-B1-01", JAN) == Decimal("8878.33")


def test_a_bad_row_refuses_the_whole_file_and_changes_nothing():
    before = list(ActualCost.objects.order_by("pk").values_list("pk", "amount"))
    history = ActualCost.history.count()
    with pytest.raises(ActualsFileInvalid) as exc:
        actuals_import(county=rsk(), file_name="bad.csv", content=csv(
            "KI-B1-01;01.2022;PK;1,00", "KI-B1-02;13.2022;PK;1,00", "KI-X;01.2022;PK;abc"))
    assert exc.value.errors == [
        "Zeile 3, Spalte Monat: „13.2022“ ist kein Monat (MM.JJJJ).",
        "Zeile 4, Spalte Stellennummer: „KI-X“ ist keine Stellennummer einer Stelle des Kreises.",
        "Zeile 4, Spalte Betrag: „abc“ ist kein Betrag: Bitte eine Zahl eingeben, z. B. 5.123,45."]
    assert list(ActualCost.objects.order_by("pk").values_list("pk", "amount")) == before
    assert ActualCost.history.count() == history and ImportBatch.objects.count() == 1


def test_a_stellennummer_of_another_county_is_unknown_here():
    neuss = Position.objects.exclude(county=rsk()).first()
    neuss.position_number = "NE-01"
    neuss.save()
    with pytest.raises(ActualsFileInvalid):
        actuals_import(county=rsk(), content=csv("NE-01;01.2022;PK;1"), file_name="x.csv")


def test_undo_restores_the_replaced_values_and_removes_the_new_ones():
    county = rsk()
    plan = actuals_import(county=county, file_name="korrektur.csv",
                          content=csv("KI-B1-01;01.2022;PK;9.000,00", "KI-B1-01;07.2022;PK;9.100,00"))
    assert import_batch_undo(batch=plan.batch).summary() == "1 Wert wiederhergestellt, 1 entfernt"
    assert figure("KI-B1-01", JAN) == Decimal("8878.33") and figure("KI-B1-01", date(2022, 7, 1)) is None
    restored = ActualCost.objects.get(position__position_number="KI-B1-01", month=JAN, cost_type="personnel")
    assert restored.batch.file_name == "70_actuals.csv"
    assert ImportBatch.objects.get(pk=plan.batch.pk).undone_at is not None
    assert ActualCost.history.filter(history_change_reason__endswith="rückgängig gemacht").count() == 2
    with pytest.raises(ActualsRefused, match="wurde schon am"):
        import_batch_undo(batch=plan.batch)


def test_undoing_the_demo_import_removes_all_its_figures():
    import_batch_undo(batch=ImportBatch.objects.get(county=rsk()))
    assert ActualCost.objects.count() == 0 and ImportedRow.objects.count() == 108


def test_an_older_import_is_not_undone_over_a_later_change():
    county = rsk()
    demo_batch = ImportBatch.objects.get(county=county)
    later = actuals_import(county=county, content=csv("KI-B1-01;01.2022;PK;9.000,00"), file_name="später.csv")
    with pytest.raises(ActualsRefused) as exc:
        import_batch_undo(batch=demo_batch)
    assert str(exc.value) == (
        f"Import Nr. {demo_batch.pk} (70_actuals.csv) wurde nicht rückgängig gemacht: 1 seiner Werte wurde danach "
        f"geändert – Koordination Strategische Steuerung 1, 01.2022, Personalkosten (jetzt 9.000,00\u00a0€ aus "
        f"Import Nr. {later.batch.pk}). Bitte zuerst den späteren Import rückgängig machen oder die Werte von Hand "
        "korrigieren.")
    assert ActualCost.objects.count() == 108
    import_batch_undo(batch=later.batch)
    import_batch_undo(batch=demo_batch)
    assert ActualCost.objects.count() == 0


def test_figures_are_entered_and_corrected_by_hand_and_a_stale_page_is_refused():
    position = Position.objects.get(county=rsk(), position_number="KI-B1-01")
    loaded = {(JAN, "personnel"): Decimal("8878.33"), (FEB, "personnel"): Decimal("8878.33")}
    changes = actual_costs_update(position=position, loaded=loaded, values={
        (JAN, "personnel"): Decimal("8900.00"), (FEB, "personnel"): None, (JAN, "material"): Decimal("808.33")})
    assert str(changes) == "1 neu, 1 geändert, 1 entfernt"
    assert figure("KI-B1-01", JAN) == Decimal("8900") and figure("KI-B1-01", FEB) is None
    assert figure("KI-B1-01", JAN, "material") == Decimal("808.33")
    assert ActualCost.objects.get(position=position, month=JAN, cost_type="personnel").batch is None
    with pytest.raises(ActualsRefused, match="inzwischen geändert"):  # the page still shows 8.878,33
        actual_costs_update(position=position, loaded=loaded, values={(JAN, "personnel"): Decimal("1")})
    assert figure("KI-B1-01", JAN) == Decimal("8900")


def own_share_blocks() -> dict:
    out = StringIO()
    call_command("own_share", "--county", "rhein-sieg-kreis", "--from", "2021-12", "--to", "2022-12",
                 "--format", "json", stdout=out)
    return {block["key"]: block for block in json.loads(out.getvalue())["cases"][0]["blocks"]}


def test_actuals_never_move_the_plan():
    actuals_import(county=rsk(), content=csv("KI-B1-01;01.2022;PK;50.000,00", "KI-B3-01;02.2022;SK;9.999,00"),
                   file_name="x.csv")
    blocks = own_share_blocks()
    assert blocks["kim-b1-koordination"]["own_share"] == "158644"
    assert blocks["kim-b2-case-management:cm-kommunen-2021"]["own_share"] == "258818"


def next_month(today: date) -> date:
    return date(today.year + today.month // 12, today.month % 12 + 1, 1)


def test_months_in_the_future_or_outside_the_term_are_refused_and_nothing_is_saved():
    coming = next_month(timezone.localdate())
    with pytest.raises(ActualsFileInvalid) as exc:
        actuals_import(county=rsk(), file_name="x.csv", content=csv(
            f"KI-B1-01;{coming:%m.%Y};PK;1,00", "KI-B1-01;08.2021;PK;1,00", "KI-B1-01;09.2021;PK;1,00"))
    assert exc.value.errors == [
        f"Zeile 2, Spalte Monat: „{coming:%m.%Y}“ liegt in der Zukunft (Ist-Kosten gibt es bis "
        f"{timezone.localdate():%m.%Y}).",
        "Zeile 3, Spalte Monat: „08.2021“ liegt außerhalb der Laufzeit der Stelle (01.09.2021–…)."]
    assert ImportBatch.objects.count() == 1 and ActualCost.objects.count() == 108


def test_a_position_ended_in_the_staffing_plan_takes_no_later_month():
    position = Position.objects.get(county=rsk(), position_number="KI-B3-01")
    position.end_on = date(2022, 6, 30)
    position.save()
    with pytest.raises(ActualsFileInvalid, match=r"„07.2022“ liegt außerhalb der Laufzeit der Stelle "
                                                 r"\(01.09.2021–30.06.2022\)"):
        actuals_import(county=rsk(), file_name="x.csv", content=csv("KI-B3-01;07.2022;PK;1,00"))


def test_a_position_still_planned_is_imported_with_a_warning():
    plan = actuals_import(county=rsk(), file_name="x.csv", content=csv(
        "KI-B1-01;07.2022;PK;9.100,00", "KI-B2-01;07.2022;PK;8.091,40"))
    assert plan.warnings == ["Stelle KI-B1-01 ist im Stellenplan noch als „geplant“ geführt – Status prüfen."]
    assert plan.batch is not None and figure("KI-B1-01", date(2022, 7, 1)) == Decimal("9100")


def test_the_demo_file_still_imports_with_a_warning_for_each_planned_position():
    content = (Path(settings.BASE_DIR) / "fixtures" / "70_actuals.csv").read_bytes()
    plan = actuals_import(county=rsk(), content=content, file_name="70_actuals.csv", dry_run=True)
    assert plan.summary() == "108 Zeilen: 0 neu, 0 ersetzt, 108 unverändert"
    planned = sorted(Position.objects.filter(county=rsk(), status="planned", actual_costs__isnull=False)
                     .values_list("position_number", flat=True).distinct())
    assert len(plan.warnings) == len(planned) == 15  # all but the three CM posts filled in 2020
    assert plan.warnings[0] == "Stelle KI-B1-01 ist im Stellenplan noch als „geplant“ geführt – Status prüfen."


def test_one_row_is_one_zeile():
    plan = actuals_import(county=rsk(), content=csv("KI-B1-01;07.2022;PK;1"), file_name="x.csv", dry_run=True)
    assert plan.summary() == "1 Zeile: 1 neu, 0 ersetzt, 0 unverändert"


def test_the_undo_plan_names_what_is_restored_and_what_is_removed():
    demo_batch = ImportBatch.objects.get(county=rsk())
    demo = import_batch_undo_plan(demo_batch)
    assert (len(demo.restored), len(demo.removed), demo.removed_total) == (0, 108, Decimal("759272.43"))
    assert demo.months == [date(2022, m, 1) for m in range(1, 7)] and demo.conflicts == []
    later = actuals_import(county=rsk(), file_name="k.csv", content=csv(
        "KI-B1-01;01.2022;PK;9.000,00", "KI-B1-01;02.2022;PK;9.000,00", "KI-B1-01;07.2022;PK;9.100,00"))
    undo = import_batch_undo_plan(later.batch)
    assert undo.summary() == "2 Werte wiederhergestellt, 1 entfernt"
    assert (undo.replaced_total, undo.restored_total, undo.removed_total) == (
        Decimal("18000.00"), Decimal("17756.66"), Decimal("9100.00"))
    assert len(import_batch_undo_plan(demo_batch).conflicts) == 2
    assert ActualCost.objects.get(position__position_number="KI-B1-01", month=JAN).amount == Decimal("9000")
