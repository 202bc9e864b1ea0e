"""Plain factory functions for tests: keyword defaults, Decimals from strings, real figures from the papers.

Records with a natural key (county slug, codes, names) are fetched if they exist, so
``make_position()`` and ``make_county()`` in the same test refer to the same county.
"""
from datetime import date
from decimal import Decimal

from budgeting.models import Appropriation, BudgetLine, CoverageSource
from kimportal.models import County, Municipality, Partner, User
from programmes.choices import CostType, RateKind
from programmes.models import FundedSlot, FundingRate, GrantDecision, Module, Programme
from staffing.models import CaseManagementAllocation, PayGrade, Position

# Population 31.12.2021 as in fixtures/00_counties.yaml (its note says which figures are official).
RSK_POPULATION = {
    "Alfter": 23521, "Bad Honnef": 25727, "Bornheim": 48971, "Eitorf": 19347, "Hennef (Sieg)": 47852,
    "Königswinter": 41180, "Lohmar": 30244, "Meckenheim": 25087, "Much": 14546, "Neunkirchen-Seelscheid": 19861,
    "Niederkassel": 38976, "Rheinbach": 27262, "Ruppichteroth": 10545, "Sankt Augustin": 55734, "Siegburg": 41551,
    "Swisttal": 18982, "Troisdorf": 74933, "Wachtberg": 20385, "Windeck": 18903,
}


def make_county(*, slug: str = "test-kreis", name: str = "Testkreis", **fields) -> County:
    county, _ = County.objects.get_or_create(slug=slug, defaults={"name": name, **fields})
    return county


def make_municipality(*, county: County | None = None, name: str = "Alfter", population: int | None = None,
                      **fields) -> Municipality:
    if population is None:
        population = RSK_POPULATION.get(name, 20000)
    municipality, _ = Municipality.objects.get_or_create(
        county=county or make_county(), name=name,
        defaults={"population": population, "population_as_of": date(2021, 12, 31), **fields},
    )
    return municipality


def make_partner(*, county: County | None = None, name: str = "Caritasverband Rhein-Sieg e.V.",
                 kind: str = Partner.Kind.WELFARE, **fields) -> Partner:
    partner, _ = Partner.objects.get_or_create(county=county or make_county(), name=name,
                                               defaults={"kind": kind, **fields})
    return partner


def make_programme(*, code: str = "kim", name: str = "KIM – Kommunales Integrationsmanagement",
                   county: County | None = None, **fields) -> Programme:
    programme, _ = Programme.objects.get_or_create(code=code, defaults={"name": name, "county": county, **fields})
    return programme


def make_module(*, code: str = "kim-b2", name: str = "Baustein 2: Case Management",
                programme: Programme | None = None, **fields) -> Module:
    module, _ = Module.objects.get_or_create(code=code, defaults={"name": name,
                                                                  "programme": programme or make_programme(), **fields})
    return module


def make_funded_slot(*, code: str = "kim-b2-cm", name: str = "Case Management", module: Module | None = None,
                     nominal_fte: str = "1", **fields) -> FundedSlot:
    slot, _ = FundedSlot.objects.get_or_create(
        code=code, defaults={"name": name, "module": module or make_module(), "nominal_fte": Decimal(nominal_fte),
                             **fields})
    return slot


def make_funding_rate(*, module: Module | None = None, funded_slot: FundedSlot | None = None,
                      kind: str = RateKind.PER_WORKPLACE, cost_type: str = CostType.PERSONNEL,
                      amount: str = "55000", valid_from: date = date(2020, 1, 1),
                      valid_until: date | None = date(2022, 12, 31), **fields) -> FundingRate:
    return FundingRate.objects.create(
        module=module or make_module(), funded_slot=funded_slot, kind=kind, cost_type=cost_type,
        amount=Decimal(amount), valid_from=valid_from, valid_until=valid_until, **fields)


def make_pay_grade(*, code: str = "E11", **fields) -> PayGrade:
    pay_grade, _ = PayGrade.objects.get_or_create(code=code, defaults=fields)
    return pay_grade


def make_position(*, county: County | None = None, title: str = "Koordination KIM", module: Module | None = None,
                  pay_grade: PayGrade | None = None, fte: str = "1", start_on: date = date(2021, 12, 1),
                  **fields) -> Position:
    return Position.objects.create(
        county=county or make_county(), title=title, module=module or make_module(),
        pay_grade=pay_grade or make_pay_grade(), fte=Decimal(fte), start_on=start_on, **fields)


def make_allocation(*, county: County | None = None, code: str = "cm-2021", name: str = "CM-Einsatz 2021",
                    module: Module | None = None, capacity_fte: str = "7", valid_from: date = date(2021, 12, 1),
                    **fields) -> CaseManagementAllocation:
    allocation, _ = CaseManagementAllocation.objects.get_or_create(
        county=county or make_county(), code=code,
        defaults={"name": name, "module": module or make_module(), "capacity_fte": Decimal(capacity_fte),
                  "valid_from": valid_from, **fields})
    return allocation


def make_grant_decision(*, county: County | None = None, programme: Programme | None = None,
                        module: Module | None = None, period_start: date = date(2021, 1, 1),
                        period_end: date = date(2021, 12, 31), amount: str | None = "605000",
                        **fields) -> GrantDecision:
    return GrantDecision.objects.create(
        county=county or make_county(), programme=programme or make_programme(), module=module or make_module(),
        period_start=period_start, period_end=period_end, amount=None if amount is None else Decimal(amount),
        **fields)


def make_budget_line(*, county: County | None = None, code: str = "05.01.01.5012000",
                     name: str = "KIM Eigenanteil Personal", **fields) -> BudgetLine:
    line, _ = BudgetLine.objects.get_or_create(county=county or make_county(), code=code,
                                               defaults={"name": name, **fields})
    return line


def make_appropriation(*, budget_line: BudgetLine | None = None, fiscal_year: int = 2022,
                       amount: str = "258818", **fields) -> Appropriation:
    return Appropriation.objects.create(budget_line=budget_line or make_budget_line(), fiscal_year=fiscal_year,
                                        amount=Decimal(amount), **fields)


def make_coverage_source(*, county: County | None = None, name: str = "Integrationspauschale",
                         amount: str | None = "1900000", balance: str = "450000",
                         balance_as_of: date = date(2021, 5, 27), usable_until: date = date(2021, 11, 30),
                         **fields) -> CoverageSource:
    source, _ = CoverageSource.objects.get_or_create(
        county=county or make_county(), name=name,
        defaults={"amount": None if amount is None else Decimal(amount), "balance": Decimal(balance),
                  "balance_as_of": balance_as_of, "usable_until": usable_until, **fields})
    return source


def make_superuser(*, username: str = "admin", password: str = "kimportal-test") -> User:
    return User.objects.create_superuser(username=username, email=f"{username}@example.org", password=password)
