"""Build one county from each example of issue 10 (DOMAIN.md "Rules real counties need") and print its own share.

Run on a scratch database, never on a real one: it adds counties and, for KOMM-AN, a Land rate.

    DATABASE_URL=sqlite:////tmp/examples.sqlite3 python manage.py migrate -v0
    DATABASE_URL=sqlite:////tmp/examples.sqlite3 python manage.py load_demo
    DATABASE_URL=sqlite:////tmp/examples.sqlite3 python manage.py shell < scripts/county_examples.py

Each county prints the ``own_share`` command's text output for its period.
"""
from datetime import date
from decimal import Decimal as D

from django.core.management import call_command
from django.db import transaction

from budgeting.models import CoverageSource, CoverageWindow
from kimportal.models import County, Partner
from programmes.choices import CostType, RateKind
from programmes.models import FundedSlot, FundingRate, GrantDecision, GrantedSlot, Module, Programme
from staffing.models import OwnShareSplit, PayGrade, Position


def make_county(slug, name):
    County.objects.filter(slug=slug).delete()
    return County.objects.create(slug=slug, name=name)


def post(where, module, slot, fte, grade, start=date(2021, 1, 1), end=None, title="Stelle", **fields):
    return Position.objects.create(county=where, title=title, module=Module.objects.get(code=module),
                                   funded_slot=FundedSlot.objects.get(code=slot) if slot else None,
                                   pay_grade=PayGrade.objects.get(code=grade), fte=D(fte), start_on=start,
                                   end_on=end, status=Position.Status.FILLED, **fields)


def show(slug, start, end, *args):
    print(f"\n$ python manage.py own_share --county {slug} --from {start} --to {end} {' '.join(args)}".rstrip())
    call_command("own_share", "--county", slug, "--from", start, "--to", end, *args)


with transaction.atomic():
    # 1. A decision for 1,5 slots of Baustein 3 (1,0 + 0,5 VZÄ staffed): 56.250 €, not 75.000 €.
    b3 = make_county("kreis-b3-bescheid", "Kreis Beispiel (Baustein 3, Bescheid 1,5 Förderstellen)")
    post(b3, "kim-b3", "kim-b3-abh-ebh", "1.0", "E9a", title="Ausländerbehörde")
    post(b3, "kim-b3", "kim-b3-abh-ebh", "0.5", "E9a", title="Einbürgerungsbehörde")
    decision = GrantDecision.objects.create(county=b3, programme=Programme.objects.get(code="kim"),
                                            module=Module.objects.get(code="kim-b3"), issued_on=date(2021, 2, 22),
                                            period_start=date(2021, 1, 1), period_end=date(2021, 12, 31),
                                            amount=D("56250"))
    GrantedSlot.objects.create(decision=decision, funded_slot=FundedSlot.objects.get(code="kim-b3-abh-ebh"),
                               count=D("1.5"), nominal_fte=D("1"))
    # 2. KOMM-AN Programmteil I: 57.000 € per full post, at most 2 posts and 114.000 € a year; 3 posts staffed.
    komm_an = make_county("kreis-komm-an", "Kreis Beispiel (KOMM-AN, drei Stellen)")
    FundingRate.objects.get_or_create(module=Module.objects.get(code="komm-an-1"), kind=RateKind.PER_WORKPLACE,
                                      cost_type=CostType.PERSONNEL, valid_from=date(2024, 1, 1),
                                      defaults={"amount": D("57000"), "cap": D("114000"), "max_fte": D("2")})
    for number in (1, 2, 3):
        post(komm_an, "komm-an-1", None, "1.0", "S12", start=date(2024, 1, 1), title=f"KOMM-AN Stelle {number}")
    # 3. KI-Grundförderung: up to 170.000 € a year for at most 3,5 posts (4 posts staffed).
    ki = make_county("kreis-ki-grundfoerderung", "Kreis Beispiel (KI-Grundförderung)")
    for number, grade in enumerate(("E11", "E11", "E11", "E9a"), start=1):
        post(ki, "ki-personal", "ki-grundfoerderung-stellen", "1.0", grade, title=f"KI-Stelle {number}")
    # 4. Kreis Unna: 18 case managers in 2023 at 57.000 €.
    unna = make_county("kreis-unna", "Kreis Unna")
    for number in range(18):
        post(unna, "kim-b2", "kim-b2-case-management", "1.0", "S12", start=date(2023, 1, 1), title=f"CM {number + 1}")
    # 5. Part months: a position from 31.01. to 01.03.2024.
    part = make_county("kreis-teilmonate", "Kreis Beispiel (Teilmonate)")
    post(part, "kim-b3", "kim-b3-abh-ebh", "1.0", "E9a", start=date(2024, 1, 31), end=date(2024, 3, 1),
         title="Vertretung")
    # 6. Rhein-Kreis Neuss: the Integrationspauschale for KIM until 30.06., for own measures until 30.11.
    neuss = make_county("kreis-neuss-fristen", "Rhein-Kreis Neuss (Fristen nach Zweck)")
    post(neuss, "kim-b1", "kim-b1-koordination", "1.0", "E11", title="KIM-Koordination")
    own = Programme.objects.create(county=neuss, code="neuss-fristen-eigene", name="Eigene Maßnahmen")
    Module.objects.create(programme=own, code="neuss-fristen-eigene-1", name="Maßnahmen")
    post(neuss, "neuss-fristen-eigene-1", None, "1.0", "E11", title="Eigene Maßnahmen")
    source = CoverageSource.objects.create(county=neuss, name="Integrationspauschale", balance=D("1000000"),
                                           balance_as_of=date(2020, 12, 31), usable_until=date(2021, 11, 30))
    CoverageWindow.objects.create(source=source, programme=Programme.objects.get(code="kim"),
                                  usable_until=date(2021, 6, 30))
    # 7. Kreis Heinsberg: 5.000 € per VZÄ for a welfare organisation's case manager.
    heinsberg = make_county("kreis-heinsberg", "Kreis Heinsberg")
    caritas = Partner.objects.create(county=heinsberg, name="Caritasverband Heinsberg", kind=Partner.Kind.WELFARE)
    post(heinsberg, "kim-b2", "kim-b2-case-management", "1.0", "S12", title="CM Caritas 1", employer=caritas,
         county_top_up=D("5000"))
    post(heinsberg, "kim-b2", "kim-b2-case-management", "0.5", "S12", title="CM Caritas 2", employer=caritas,
         county_top_up=D("5000"))
    # 8. Kreis Coesfeld: Dülmen employs a case manager for Dülmen and Nottuln; Nottuln 50 %, at most 5.000 €.
    coesfeld = make_county("kreis-coesfeld", "Kreis Coesfeld")
    duelmen = Partner.objects.create(county=coesfeld, name="Stadt Dülmen", kind=Partner.Kind.MUNICIPALITY)
    nottuln = Partner.objects.create(county=coesfeld, name="Gemeinde Nottuln", kind=Partner.Kind.MUNICIPALITY)
    cm = post(coesfeld, "kim-b2", "kim-b2-case-management", "1.0", "S12", title="CM Dülmen/Nottuln",
              employer=duelmen)
    OwnShareSplit.objects.create(position=cm, partner=nottuln, percent=D("50"), annual_amount=D("5000"),
                                 agreement="öffentlich-rechtliche Vereinbarung")

show("rhein-sieg-kreis", "2021-12", "2022-12", "--scenario", "Integrationspauschale verlängert bis 30.11.2022")
show("kreis-b3-bescheid", "2021-01", "2021-12")
show("kreis-komm-an", "2024-01", "2024-12")
show("kreis-ki-grundfoerderung", "2021-01", "2021-12")
show("kreis-unna", "2023-01", "2023-12")
show("kreis-teilmonate", "2024-01", "2024-03")
show("kreis-neuss-fristen", "2021-01", "2021-12")
show("kreis-heinsberg", "2021-01", "2021-12")
show("kreis-coesfeld", "2021-01", "2021-12")
