"""Benchmark data at state scale (issue 13): NRW's 54 counties of realistic size, deterministic by seed.

    manage.py make_state_scale [--counties 54] [--positions-largest 600] [--total-positions 3000] [--years 10]
                               [--seed 1] [--force]

Each county follows the shape of the demo's Rhein-Sieg-Kreis (fixtures/20_rsk_kim.yaml, 30_rsk_programmes.yaml):
municipalities (Stadtbezirke for a kreisfreie Stadt), a municipality as employer and a welfare organisation as
recipient of a pass-through, positions across KIM Bausteine 1–3, the KI-Grundförderung, KOMM-AN and the other Land
programmes and an own programme, grant decisions and appropriations per fiscal year, the Integrationspauschale and a
reserve as coverage sources, a case-management allocation with cooperation agreements, three scenarios, actual
costs January–June 2022, vacancies, focus goals and Umlagegrundlagen. Programmes, rates and pay grades are the
Land's shared reference data (fixtures/10_reference.yaml, loaded by ``load_demo``).

Sizes: the first county has ``--positions-largest`` positions, the others share the rest of ``--total-positions``
(log-normal weights from the seed). The fiscal years are 2021 to 2021 + ``--years`` − 1. The KGSt report gives
workplace costs for 2021 only; the years after get that figure carried forward (new WorkplaceCost rows, marked in
their source), which is what the engine's "latest year not after" rule computes anyway, and the output says so.

The counties' slugs start with ``lastprobe-``; running again replaces them. A database with other counties than
these and the demo's is refused unless ``--force``. Everything is written with bulk_create in one transaction;
the data versions (kimportal.versioning, where present) are raised afterwards, since bulk writes send no signals.
"""
from __future__ import annotations

import random
import re
import time
from collections import Counter
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from actuals.models import ActualCost, ImportBatch, ImportedRow, Vacancy
from budgeting.models import (
    Appropriation, BudgetLine, CoverageSource, Scenario, ScenarioCoverageOverride, ScenarioPositionOverride,
)
from budgeting.periods import add_months
from kimportal.models import County, Municipality, Partner
from kimportal.money import format_number as n
from levy.models import LevyBasis
from programmes.models import FocusGoal, FundedSlot, GrantDecision, GrantedSlot, Module, PassThrough, Programme
from staffing.models import (
    AllocationShare, CaseManagementAllocation, CooperationAgreement, CostSplit, PayGrade, Position, WorkplaceCost,
)

PREFIX = "lastprobe-"
FIRST_YEAR = 2021
ORIGIN = "Lastdaten (make_state_scale)"
CENT, ONE = Decimal("0.01"), Decimal("1")
KREISE_SHARE = Decimal(31) / Decimal(54)  # NRW: 31 Kreise and 23 kreisfreie Städte
IP_NAME = "Integrationspauschale (§ 14c TIntG)"
ARNSBERG = "Bezirksregierung Arnsberg"

# kind, module code, funded slot code (None: none; "ki": by start year), pay grade, share of the county's positions,
# title. Case management takes what the others leave (Rhein-Sieg-Kreis: 11 of 19 posts).
KINDS = [
    ("koordination", "kim-b1", "kim-b1-koordination", "E11", "0.08", "KIM-Koordination"),
    ("assistenz", "kim-b1", "kim-b1-assistenz", "E5", "0.02", "KIM-Verwaltungsassistenz"),
    ("b3", "kim-b3", "kim-b3-abh-ebh", "E9a", "0.15", "Sachbearbeitung Ausländer-/Einbürgerungsbehörde"),
    ("ki", "ki-personal", "ki", "E11", "0.10", "KI-Fachkraft"),
    ("komm-an", "komm-an-1", "komm-an-1-stelle", "S12", "0.05", "KOMM-AN-Koordination"),
    ("eigen", None, None, "E9a", "0.05", "Projektstelle"),
    ("durchstarten", "durchstarten-1", None, "E9a", "0.03", "Coaching Durchstarten"),
    ("lebensabend", "guter-lebensabend", None, "S12", "0.02", "Guter Lebensabend"),
    ("rucksack", "rucksack-kita", None, "S12", "0.02", "Rucksack Kita"),
]
KIM_KINDS = {"koordination", "assistenz", "b3"}
ENDS_2022 = {"komm-an", "durchstarten"}  # programmes that end 31.12.2022 (10_reference.yaml)
# Lump-sum decisions per fiscal year: module code, amount (None: the Land's rate), last year (None: every year).
LUMP_DECISIONS = [("komm-an-2", "120000", 2022), ("rucksack-kita", None, None), ("rucksack-schule", "20000", None),
                  ("durchstarten-1", "60000", 2022), ("durchstarten-2", "60000", 2022),
                  ("durchstarten-3", "60000", 2022), ("durchstarten-4", "60000", 2022)]


def euros(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def county_sizes(counties: int, largest: int, total: int, rng: random.Random) -> list[int]:
    """Positions per county: ``largest`` first, the rest of ``total`` by log-normal weights, each at least 1 and at
    most ``largest``. Raises CommandError (German) for sizes that cannot be met."""
    if counties < 1 or largest < 1:
        raise CommandError("Es braucht mindestens einen Kreis und eine Stelle.")
    rest = total - largest
    if counties == 1:
        return [largest]
    if rest < counties - 1 or rest > largest * (counties - 1):
        raise CommandError(f"{total} Stellen lassen sich nicht so auf {counties} Kreise verteilen, dass der größte "
                           f"{largest} hat und jeder andere mindestens 1 und höchstens {largest}.")
    weights = [Decimal(str(rng.lognormvariate(0, 0.6))) for _ in range(counties - 1)]
    raw = [rest * w / sum(weights) for w in weights]
    sizes = [min(largest, max(1, int(r))) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    step = 0
    while sum(sizes) != rest:  # hand out (or take back) what flooring and the bounds left over
        i = order[step % len(order)]
        if sum(sizes) < rest and sizes[i] < largest:
            sizes[i] += 1
        elif sum(sizes) > rest and sizes[i] > 1:
            sizes[i] -= 1
        step += 1
    return [largest, *sizes]


def kind_counts(size: int) -> tuple[list[tuple[tuple, int]], int]:
    """How many positions of each kind (KINDS) a county of ``size`` positions has, and how many case managers
    (the rest, at least one)."""
    counts, left = [], size - 1  # at least one case manager
    for kind in KINDS:
        wanted = int((Decimal(kind[4]) * size).quantize(ONE, rounding=ROUND_HALF_UP))
        if kind[0] in KIM_KINDS and size >= 6:
            wanted = max(wanted, 1)
        wanted = min(wanted, left)
        counts.append((kind, wanted))
        left -= wanted
    return counts, left + 1


def demo_slugs() -> set[str]:
    """The demo's counties (fixtures/00_counties.yaml and the county workbooks NN_<slug>.xlsx): not "real" ones."""
    fixtures = settings.BASE_DIR / "fixtures"
    slugs = set()
    path = fixtures / "00_counties.yaml"
    if path.is_file():
        for row in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if row.get("model") == "kimportal.county":
                slugs.add(row["fields"]["slug"])
    for workbook in fixtures.glob("*.xlsx"):
        match = re.fullmatch(r"\d+_([a-z0-9-]+)", workbook.stem)
        if match:
            slugs.add(match.group(1))
    return slugs


class Command(BaseCommand):
    help = "Erzeugt Lastdaten in Landesgröße (54 Kreise, rund 3.000 Stellen, 10 Haushaltsjahre) für den Benchmark."

    def add_arguments(self, parser):
        parser.add_argument("--counties", type=int, default=54, help="Anzahl der Kreise (Standard 54)")
        parser.add_argument("--positions-largest", type=int, default=600, help="Stellen des größten Kreises")
        parser.add_argument("--total-positions", type=int, default=3000, help="Stellen aller Kreise zusammen")
        parser.add_argument("--years", type=int, default=10, help="Haushaltsjahre ab 2021 (Standard 10)")
        parser.add_argument("--seed", type=int, default=1, help="Startwert des Zufallsgenerators")
        parser.add_argument("--force", action="store_true", help="auch neben echten Kreisen erzeugen")

    def handle(self, *args, counties, positions_largest, total_positions, years, seed, force, **options):
        started = time.perf_counter()
        if not 1 <= years <= 30:
            raise CommandError("--years muss zwischen 1 und 30 liegen.")
        real = County.objects.exclude(slug__startswith=PREFIX).exclude(slug__in=demo_slugs())
        if real.exists() and not force:
            names = list(real.values_list("name", flat=True)[:4])
            shown = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
            raise CommandError(f"Die Datenbank enthält echte Kreise ({shown}); Lastdaten nur in einer eigenen "
                               "Datenbank oder mit --force.")
        self.rng = random.Random(seed)
        sizes = county_sizes(counties, positions_largest, total_positions, self.rng)
        self.years = list(range(FIRST_YEAR, FIRST_YEAR + years))
        self.last_day = date(self.years[-1], 12, 31)
        self._reference()
        self.made = Counter()
        with transaction.atomic():
            removed = self._remove_previous()
            kgst = self._carry_workplace_costs()
            built = [self._county(number, size, counties) for number, size in enumerate(sizes, start=1)]
        self._bump_versions(built)
        self._report(built, removed, kgst, time.perf_counter() - started)

    # ------------------------------------------------------------------ reference data and the guard

    def _reference(self):
        codes = {k[1] for k in KINDS if k[1]} | {"kim-b2", *(m for m, _, _ in LUMP_DECISIONS), "guter-lebensabend"}
        self.modules = {m.code: m for m in Module.objects.select_related("programme").filter(code__in=codes)}
        self.slots = {s.code: s for s in FundedSlot.objects.all()}
        self.grades = {g.code: g for g in PayGrade.objects.all()}
        self.programmes = {p.code: p for p in Programme.objects.filter(county__isnull=True)}
        missing = codes - set(self.modules) or {"E5", "E9a", "E11", "S12"} - set(self.grades)
        if missing or "ki-grundfoerderung" not in self.programmes:
            raise CommandError("Die Referenzdaten des Landes fehlen (Programme, Bausteine, Entgeltgruppen): bitte "
                               "zuerst „manage.py load_demo“ ausführen.")

    def _remove_previous(self) -> int:
        """Delete earlier benchmark counties; children that PROTECT their parents go first."""
        old = County.objects.filter(slug__startswith=PREFIX)
        count = old.count()
        if count:
            ActualCost.objects.filter(county__in=old).delete()
            Position.objects.filter(county__in=old).delete()
            GrantDecision.objects.filter(county__in=old).delete()
            CaseManagementAllocation.objects.filter(county__in=old).delete()
            CooperationAgreement.objects.filter(county__in=old).delete()
            Partner.objects.filter(county__in=old).delete()
            old.delete()
        return count

    def _carry_workplace_costs(self) -> str:
        """KGSt costs for the fiscal years without a figure: the last known year's, carried forward."""
        known = {}
        for cost in WorkplaceCost.objects.select_related("pay_grade").order_by("year"):
            known.setdefault(cost.pay_grade.code, {})[cost.year] = cost.annual
        rows, carried = [], set()
        for grade, by_year in sorted(known.items()):
            for year in self.years:
                earlier = [y for y in by_year if y <= year]
                if year in by_year:
                    continue
                if not earlier:
                    raise CommandError(f"Für {grade} fehlen die Arbeitsplatzkosten (KGSt) für {year} und davor.")
                last = max(earlier)
                rows.append(WorkplaceCost(pay_grade=self.grades[grade], year=year, annual=by_year[last],
                                          source=f"fortgeschrieben von {last} (nur Lastdaten, {ORIGIN})"))
                carried.add((year, last))
        WorkplaceCost.objects.bulk_create(rows)
        self.costs = {g: {y: by_year[max(k for k in by_year if k <= y)] for y in self.years}
                      for g, by_year in known.items()}
        if not rows:
            return "KGSt-Arbeitsplatzkosten: für alle Haushaltsjahre vorhanden."
        years = sorted(y for y, _ in carried)
        sources = sorted({last for _, last in carried})
        return (f"KGSt-Arbeitsplatzkosten fehlen für {years[0]}–{years[-1]}: für die Lastdaten mit dem Wert von "
                f"{', '.join(map(str, sources))} fortgeschrieben ({len(rows)} Zeilen, Quelle „fortgeschrieben …“).")

    # ------------------------------------------------------------------ one county

    def _county(self, number: int, size: int, total: int) -> tuple[County, int]:
        rng = self.rng
        city = number > max(1, int((KREISE_SHARE * total).quantize(ONE, rounding=ROUND_HALF_UP)))
        word = "Stadt" if city else "Kreis"
        county = County.objects.create(
            slug=f"{PREFIX}{number:02d}", name=f"Lastprobe-{word} {number:02d}",
            kind=County.Kind.KREISFREIE_STADT if city else County.Kind.KREIS,
            centre_name=f"Kommunales Integrationszentrum Lastprobe-{word} {number:02d}", office="Amt für Integration")
        scale = max(ONE, Decimal(size) / 19)  # the Rhein-Sieg-Kreis has 19 positions
        munis = Municipality.objects.bulk_create(
            Municipality(county=county, name=f"{'Stadtbezirk' if city else 'Gemeinde'} {number:02d}-{j:02d}",
                         kind=Municipality.Kind.DISTRICT if city else Municipality.Kind.MUNICIPALITY,
                         population=rng.randint(12_000, 160_000), population_as_of=date(2021, 12, 31),
                         population_source=f"{ORIGIN}, nicht amtlich")
            for j in range(1, rng.randint(5, 10) + 1 if city else rng.randint(7, 20) + 1))
        self.made["municipalities"] += len(munis)
        employer, welfare = Partner.objects.bulk_create([
            Partner(county=county, name=f"Anstellungsträger {munis[0].name}", kind=Partner.Kind.MUNICIPALITY,
                    municipality=munis[0]),
            Partner(county=county, name=f"Caritasverband Lastprobe {number:02d} e.V.", kind=Partner.Kind.WELFARE)])
        own = Programme.objects.create(county=county, code=f"{PREFIX}{number:02d}-projektmittel",
                                       name="Projektmittel", funder=f"{county.name} (Haushalt)",
                                       starts_on=date(FIRST_YEAR, 1, 1))
        self.modules["eigen"] = Module.objects.create(programme=own, code=own.code, name="Projektmittel", position=1)
        cm_line, own_line = BudgetLine.objects.bulk_create([
            BudgetLine(county=county, code="31.10.01-KIM-CM", name="KIM Case Management – Eigenanteil im Haushalt"),
            BudgetLine(county=county, code="31.10.02-PROJEKT", name="KI – Projektmittel")])
        positions = self._positions(county, size, employer, cm_line, own_line)
        allocation = self._allocation(county, munis, positions)
        self._appropriations(cm_line, own_line, positions, scale)
        sources = self._coverage(county, scale)
        self._decisions(county, positions, welfare)
        self._scenarios(county, positions, sources[0])
        self._actuals_and_vacancies(county, positions)
        self._goals_and_levy(county, munis, city)
        self.made["allocations"] += allocation is not None
        return county, size

    def _positions(self, county, size, employer, cm_line, own_line) -> list[Position]:
        rng, rows, serial = self.rng, [], 0
        counts, cm_count = kind_counts(size)
        plan = [(kind, n) for kind, n in counts] + [(("cm", "kim-b2", "kim-b2-case-management", "S12", "", "Case "
                                                      "Management"), cm_count)]
        for (kind, module_code, slot_code, grade, _, title), count in plan:
            for index in range(count):
                serial += 1
                start, end, term = self._term(kind, first=index == 0)
                slot = slot_code
                if slot == "ki":
                    slot = "ki-grundfoerderung-stellen" if start.year <= 2022 else "ki-fachkraft"
                fte = Decimal("0.5") if kind == "assistenz" else rng.choice(
                    ["1.000", "1.000", "1.000", "0.750", "0.500"] if kind != "b3" else ["0.750", "0.750", "1.000"])
                filled = start <= date(2022, 6, 30)
                status = rng.choices(["filled", "vacant", "planned"], [90, 5, 5])[0] if filled else "planned"
                position = Position(
                    county=county, title=f"{title} {index + 1}", position_number=f"LP-{kind[:4].upper()}-{serial:04d}",
                    unit="KI", module=self.modules[module_code or kind], pay_grade=self.grades[grade],
                    funded_slot=self.slots[slot] if slot else None, fte=Decimal(fte), status=status,
                    status_since=start, start_on=start, end_on=end, fixed_term_until=term)
                position.kind = kind
                if kind == "cm":
                    self._cm_role(position, index, count, employer, cm_line)
                elif kind == "eigen":
                    position.own_share_budget_line = own_line
                rows.append(position)
        Position.objects.bulk_create(rows)  # sets the pks on ``rows``, which keep their ``kind``
        self.made["positions"] += len(rows)
        return rows

    def _term(self, kind, *, first: bool) -> tuple[date, date | None, date | None]:
        """Start, end and fixed-term end: the first post of each kind from 01.01.2021 on, so every county runs each
        of its programmes from the start; most others begin in 2021/2022, some on the 16th (part months)."""
        rng = self.rng
        if kind in ENDS_2022:
            return date(2021, 1 if first else rng.randint(1, 6), 1), date(2022, 12, 31), date(2022, 12, 31)
        if first:
            return date(FIRST_YEAR, 1, 1), None, None
        months = len(self.years) * 12
        offset = rng.randrange(min(24, months)) if rng.random() < 0.6 else rng.randrange(max(1, months - 12))
        start = add_months(date(FIRST_YEAR, 1, 1), offset).replace(day=16 if rng.random() < 0.1 else 1)
        end = term = None
        if rng.random() < 0.2:
            end = min(add_months(start.replace(day=1), rng.randint(12, 60)) - timedelta(days=1), self.last_day)
            end = max(end, start)
        elif rng.random() < 0.5:
            term = date(rng.randint(start.year, self.years[-1]), 12, 31)
        return start, end, term

    def _cm_role(self, position, index, count, employer, cm_line):
        """Case managers as in the Rhein-Sieg-Kreis: a tenth employed by a town (half with a county top-up), some
        with their own share in the budget, most sent to the municipalities (allocation), the rest in the KI."""
        if index < max(1, count // 10) and count >= 5:
            position.employer, position.unit = employer, employer.name
            if index % 2:
                position.county_top_up = Decimal("5000.00")
        elif index < count // 4:
            position.own_share_budget_line = cm_line
        elif self.rng.random() < 0.8:
            position.allocated = True

    def _allocation(self, county, munis, positions):
        posts = [p for p in positions if getattr(p, "allocated", False)]
        if not posts:
            return None
        capacity = sum((p.fte for p in posts), Decimal(0))
        allocation = CaseManagementAllocation.objects.create(
            county=county, module=self.modules["kim-b2"], code="cm-kommunen", name="CM-Einsatz in den Kommunen",
            capacity_fte=capacity, valid_from=date(FIRST_YEAR, 9, 1), valid_until=self.last_day)
        Position.objects.filter(pk__in=[p.pk for p in posts]).update(allocation=allocation)
        for post in posts:
            post.allocation = allocation
        demand = [m for m in munis[1:] if self.rng.random() < 0.85] or list(munis[1:2])
        days_left = (capacity * 5 * Decimal("0.95")).quantize(Decimal("0.25"), rounding="ROUND_DOWN")
        weight = sum(m.population for m in demand)
        shares = [AllocationShare(allocation=allocation, municipality=munis[0], special_arrangement="eigene CM-Stelle "
                                  "der Stadt, gesondert gezählt")]
        for muni in munis[1:]:
            days = Decimal(0)
            if muni in demand:
                days = (days_left * muni.population / weight).quantize(Decimal("0.25"), rounding="ROUND_DOWN")
            shares.append(AllocationShare(allocation=allocation, municipality=muni, days=min(days, Decimal("999")),
                                          no_demand=muni not in demand))
        AllocationShare.objects.bulk_create(shares)
        agreements = CooperationAgreement.objects.bulk_create(
            CooperationAgreement(county=county, municipality=s.municipality, allocation=allocation,
                                 valid_from=date(FIRST_YEAR, 9, 1), valid_until=self.last_day,
                                 note="Der Kreis trägt Personal-, IT- und Reisekosten; die Kommune Raum- und "
                                      "Sachkosten (6.250 € je VZÄ und Jahr).")
            for s in shares if s.days > 0)
        CostSplit.objects.bulk_create(
            CostSplit(agreement=a, item=item, borne_by=by, annual_per_fte=amount) for a in agreements
            for item, by, amount in (("personnel", "county", None), ("it", "county", None),
                                     ("travel", "county", None), ("room_material", "partner", Decimal("6250.00"))))
        self.made["agreements"] += len(agreements)
        return allocation

    def _appropriations(self, cm_line, own_line, positions, scale):
        on_line = sum((p.fte for p in positions if p.own_share_budget_line_id == cm_line.pk), Decimal(0))
        rows = []
        for year in self.years:
            cm = (on_line * (self.costs["S12"][year] - (55000 if year <= 2022 else 57000))).quantize(Decimal("100"))
            rows += [Appropriation(budget_line=cm_line, fiscal_year=year, amount=euros(max(cm, 0))),
                     Appropriation(budget_line=own_line, fiscal_year=year, amount=euros(50000 * scale))]
        Appropriation.objects.bulk_create(rows)
        self.made["appropriations"] += len(rows)

    def _coverage(self, county, scale):
        balance = euros((450000 * scale).quantize(Decimal("1000")))
        sources = CoverageSource.objects.bulk_create([
            CoverageSource(county=county, name=IP_NAME, kind=CoverageSource.Kind.LUMP_SUM, amount=balance * 4,
                           balance=balance, balance_as_of=date(2021, 5, 27), balance_free_from=date(2021, 12, 1),
                           usable_until=date(2021, 11, 30), extension_status=CoverageSource.Extension.PENDING,
                           proof_of_use_due=date(2023, 3, 31),
                           legal_basis="§ 14c Teilhabe- und Integrationsgesetz NRW"),
            CoverageSource(county=county, name="Ausgleichsrücklage KI", kind=CoverageSource.Kind.RESERVE,
                           balance=euros(100000 * scale), balance_as_of=date(FIRST_YEAR, 12, 31),
                           usable_until=self.last_day)])
        self.made["coverage sources"] += len(sources)
        return sources

    def _decisions(self, county, positions, welfare):
        """A decision per module and fiscal year, as the Rhein-Sieg-Kreis has them for 2021/2022."""
        def fte(kind):
            return sum((p.fte for p in positions if p.kind == kind), Decimal(0))

        def count(kind):
            return Decimal(sum(1 for p in positions if p.kind == kind))

        decisions, slots, passing = [], [], []
        for year in self.years:
            common = dict(county=county, authority=ARNSBERG, issued_on=date(year, 2, 22), received_on=date(year, 3, 1),
                          period_start=date(year, 1, 1), period_end=date(year, 12, 31),
                          proof_of_use_due=date(year + 1, 3, 31))
            granted = [("kim-b1", [("kim-b1-koordination", fte("koordination")),
                                   ("kim-b1-assistenz", count("assistenz"))]),
                       ("kim-b2", [("kim-b2-case-management", fte("cm"))]),
                       ("kim-b3", [("kim-b3-abh-ebh", count("b3"))]),
                       (None, [("ki-grundfoerderung-stellen", Decimal("3.5"))] if year <= 2022 else
                        [("ki-fachkraft", min(Decimal(6), max(ONE, count("ki"))))])]
            if year <= 2022:
                granted.append(("komm-an-1", [("komm-an-1-stelle", Decimal(2))]))
            for module, wanted in granted:
                decision = GrantDecision(programme=self.modules[module].programme if module else
                                         self.programmes["ki-grundfoerderung"],
                                         module=self.modules[module] if module else None, **common)
                decisions.append(decision)
                slots += [(decision, code, units) for code, units in wanted if units > 0]
            for module, amount, last in LUMP_DECISIONS:
                if last is None or year <= last:
                    decisions.append(GrantDecision(programme=self.modules[module].programme,
                                                   module=self.modules[module], amount=amount and euros(amount),
                                                   **common))
            lebensabend = GrantDecision(programme=self.modules["guter-lebensabend"].programme,
                                        module=self.modules["guter-lebensabend"], amount=euros(160000),
                                        pass_through_permitted=True, **common)
            decisions.append(lebensabend)
            passing.append(PassThrough(decision=lebensabend, recipient=welfare, amount=euros(160000),
                                       purpose="Beratung älterer Migrantinnen und Migranten"))
        GrantDecision.objects.bulk_create(decisions)
        GrantedSlot.objects.bulk_create(
            GrantedSlot(decision=d, funded_slot=self.slots[code], count=units,
                        nominal_fte=self.slots[code].nominal_fte) for d, code, units in slots)
        PassThrough.objects.bulk_create(passing)
        self.made["decisions"] += len(decisions)

    def _scenarios(self, county, positions, ip):
        variant, extended, freeze = Scenario.objects.bulk_create([
            Scenario(county=county, name="Baustein 3 – alle Stellen mit 1,0 VZÄ", position=1),
            Scenario(county=county, name="Integrationspauschale verlängert bis 30.11.2022", position=2),
            Scenario(county=county, name="Keine neuen Stellen ab 2026", position=3)])
        ScenarioCoverageOverride.objects.create(scenario=extended, source=ip, usable_until=date(2022, 11, 30))
        ScenarioPositionOverride.objects.bulk_create(
            [ScenarioPositionOverride(scenario=variant, position=p, fte=ONE) for p in positions
             if p.kind == "b3" and p.fte < 1]
            + [ScenarioPositionOverride(scenario=freeze, position=p, excluded=True) for p in positions
               if p.start_on >= date(2026, 1, 1)])
        self.made["scenarios"] += 3

    def _actuals_and_vacancies(self, county, positions):
        """Payroll figures January–June 2022 for four in ten posts filled all that time; a vacancy for some others."""
        rng = self.rng
        steady = [p for p in positions if p.status == "filled" and p.start_on <= date(2022, 1, 1)
                  and (p.end_on is None or p.end_on >= date(2022, 12, 31)) and p.employer_id is None]
        paid = [p for p in steady if rng.random() < 0.4]
        months = [date(2022, m, 1) for m in range(1, 7)]
        if paid:
            batch = ImportBatch.objects.create(county=county, file_name="lastdaten-ist-2022.csv",
                                               rows=len(paid) * len(months), origin=ORIGIN)
            figures = [ActualCost(county=county, position=p, month=month, cost_type="personnel", batch=batch,
                                  amount=euros(p.fte * self.costs[p.pay_grade.code][2022] / 12
                                               * rng.randint(92, 104) / 100))
                       for p in paid for month in months]
            ActualCost.objects.bulk_create(figures)
            ImportedRow.objects.bulk_create(
                ImportedRow(batch=batch, line=n + 2, position=f.position, month=f.month, cost_type=f.cost_type,
                            amount=f.amount) for n, f in enumerate(figures))
            totals = Counter()
            for figure in figures:
                totals[f"{figure.month:%Y-%m}"] += figure.amount
            ImportBatch.objects.filter(pk=batch.pk).update(totals={k: str(v) for k, v in sorted(totals.items())})
            self.made["actual costs"] += len(figures)
        paid_ids = {p.pk for p in paid}
        spare = [p for p in steady if p.pk not in paid_ids]
        vacant = rng.sample(spare, k=min(len(spare), max(1 if len(positions) >= 10 else 0, len(positions) // 25)))
        rows = []
        for position in vacant:
            start = date(2022, rng.randint(1, 9), 1)
            rows.append(Vacancy(county=county, position=position, start_on=start,
                                end_on=add_months(start, rng.randint(1, 3)) - timedelta(days=1),
                                note="Nachbesetzung nach Kündigung (Lastdaten)"))
        Vacancy.objects.bulk_create(rows)
        self.made["vacancies"] += len(rows)

    def _goals_and_levy(self, county, munis, city):
        FocusGoal.objects.bulk_create([
            FocusGoal(county=county, field_of_action="kim", number=1, title="Rechtskreisübergreifendes Case "
                      "Management verstetigen", text="Fallzahlen und Wirkung jährlich berichten.",
                      starts_on=date(2023, 1, 1), due_on=date(2023, 12, 31), status="in_progress"),
            FocusGoal(county=county, field_of_action="bildung", number=2, title="Übergang Schule–Beruf",
                      text="Beratung an allen Berufskollegs.", starts_on=date(2024, 1, 1),
                      due_on=date(2025, 12, 31), status="planned")])
        if city:
            return  # a kreisfreie Stadt levies no Kreisumlage
        rows = [LevyBasis(municipality=m, fiscal_year=year, amount=euros(m.population * 1500 * (100 + 2 * (
            year - FIRST_YEAR)) / 100), source=f"{ORIGIN}, nicht amtlich") for m in munis for year in self.years]
        LevyBasis.objects.bulk_create(rows)
        self.made["levy bases"] += len(rows)

    # ------------------------------------------------------------------ after the build

    def _bump_versions(self, built):
        """Bulk writes send no signals: raise the data versions (issue 13's cache) where the project has them."""
        try:
            from kimportal.versioning import bump
        except ImportError:
            return
        with transaction.atomic():
            bump(None)
            for county, _ in built:
                bump(county.pk)

    def _report(self, built, removed, kgst, seconds):
        write = self.stdout.write
        sizes = [size for _, size in built]
        cities = sum(1 for county, _ in built if county.kind == County.Kind.KREISFREIE_STADT)
        if removed:
            write(f"Frühere Lastdaten ersetzt: {removed} Kreise gelöscht.")
        kinds = f"{len(built) - cities} {'Kreis' if len(built) - cities == 1 else 'Kreise'}"
        if cities:
            kinds += f" und {cities} kreisfreie {'Stadt' if cities == 1 else 'Städte'}"
        write(f"Lastdaten erzeugt: {kinds}, {n(sum(sizes))} Stellen, Haushaltsjahre {self.years[0]}–{self.years[-1]}.")
        largest = built[0][0]
        others = ""
        if len(sizes) > 1:
            low, high = n(min(sizes[1:])), n(max(sizes[1:]))
            others = f"; die übrigen {low if low == high else f'{low}–{high}'} Stellen"
        write(f"Größter Kreis: {largest.name} ({largest.slug}) mit {n(sizes[0])} Stellen{others}.")
        labels = {"municipalities": "Kommunen/Stadtbezirke", "decisions": "Zuwendungsbescheide",
                  "appropriations": "Haushaltsansätze", "coverage sources": "Deckungsmittel",
                  "allocations": "CM-Einsatzplanungen", "agreements": "Kooperationsvereinbarungen",
                  "scenarios": "Szenarien", "actual costs": "Ist-Kosten (Monatswerte 01–06/2022)",
                  "vacancies": "Vakanzen", "levy bases": "Umlagegrundlagen"}
        write(", ".join(f"{n(self.made[key])} {label}" for key, label in labels.items()) + ".")
        write(kgst)
        write(f"Dauer: {seconds:.1f} s.".replace(".", ",", 1))
