"""Pay grades, workplace costs, positions, case-management allocation, cooperation agreements."""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords
from django.db.models import Q, Sum

from kimportal.models import County, Municipality, Partner
from kimportal.concurrency import Versioned
from kimportal.fields import FTEField, MoneyField, QuantityField
from programmes.models import FundedSlot, Module

# A share handed to a municipality or welfare organisation is fundable only
# from 0.5 FTE up (KIM Baustein 2 guideline); 1 FTE = 5 days per week.
DAYS_PER_FTE = Decimal("5")
MIN_HANDOVER_FTE = Decimal("0.5")
MIN_HANDOVER_DAYS = MIN_HANDOVER_FTE * DAYS_PER_FTE

FTE_MESSAGE = "Der Stellenanteil muss größer als 0 und höchstens 1 VZÄ sein."


class PayGradeManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class PayGrade(models.Model):
    code = models.CharField("Entgeltgruppe", max_length=10, unique=True)
    agreement = models.CharField("Tarif", max_length=40, default="TVöD")
    name = models.CharField("Bezeichnung", max_length=120, blank=True)

    objects = PayGradeManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Entgeltgruppe"
        verbose_name_plural = "Entgeltgruppen"
        ordering = ["code"]

    def __str__(self):
        return self.code

    def natural_key(self):
        return (self.code,)


class WorkplaceCost(models.Model):
    """Annual full cost of one FTE per pay grade (KGSt report "Kosten eines Arbeitsplatzes")."""

    pay_grade = models.ForeignKey(PayGrade, on_delete=models.CASCADE, related_name="workplace_costs",
                                  verbose_name="Entgeltgruppe")
    year = models.PositiveSmallIntegerField("gültig ab Jahr", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    annual = MoneyField("Kosten je VZÄ und Jahr")
    source = models.CharField("Quelle", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Arbeitsplatzkosten (KGSt)"
        verbose_name_plural = "Arbeitsplatzkosten (KGSt)"
        ordering = ["pay_grade__code", "year"]
        constraints = [
            models.UniqueConstraint(fields=["pay_grade", "year"], name="workplace_cost_unique_year"),
            models.CheckConstraint(condition=Q(annual__gte=0), name="workplace_cost_not_negative",
                                   violation_error_message="Der Betrag darf nicht negativ sein."),
        ]

    def __str__(self):
        return f"{self.pay_grade} {self.year}: {self.annual} €"


class CaseManagementAllocationManager(models.Manager):
    def get_by_natural_key(self, county_slug, code):
        return self.get(county__slug=county_slug, code=code)


class CaseManagementAllocation(Versioned):
    """CM-Einsatz: days per working week per municipality for a period; total ≤ capacity × 5."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="allocations", verbose_name="Kreis")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="allocations", verbose_name="Baustein")
    code = models.SlugField("Kürzel", max_length=60)
    name = models.CharField("Bezeichnung", max_length=200)
    capacity_fte = FTEField("Kapazität (VZÄ)", validators=[MinValueValidator(Decimal("0.001"))])
    valid_from = models.DateField("gültig ab")
    valid_until = models.DateField("gültig bis", null=True, blank=True)

    objects = CaseManagementAllocationManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "CM-Einsatzplanung"
        verbose_name_plural = "CM-Einsatzplanungen"
        ordering = ["county__name", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["county", "code"], name="allocation_unique_code"),
            models.CheckConstraint(condition=Q(capacity_fte__gt=0), name="allocation_capacity_positive",
                                   violation_error_message="Die Kapazität muss größer als 0 sein."),
            models.CheckConstraint(condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                                   name="allocation_until_after_from",
                                   violation_error_message="„gültig bis“ darf nicht vor „gültig ab“ liegen."),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.county.slug, self.code)

    @property
    def capacity_days(self) -> Decimal:
        return self.capacity_fte * DAYS_PER_FTE

    def allocated_days(self) -> Decimal:
        return self.shares.aggregate(total=Sum("days"))["total"] or Decimal("0")

    def clean(self):
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": "„gültig bis“ darf nicht vor „gültig ab“ liegen."})
        if self.pk and self.capacity_fte and self.allocated_days() > self.capacity_days:
            raise ValidationError({"capacity_fte": "Die verteilten Tage übersteigen die Kapazität (VZÄ × 5)."})


class AllocationShare(models.Model):
    allocation = models.ForeignKey(CaseManagementAllocation, on_delete=models.CASCADE, related_name="shares",
                                   verbose_name="Einsatzplanung")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="allocation_shares",
                                     verbose_name="Kommune")
    days = models.DecimalField("Tage pro Woche", max_digits=5, decimal_places=2, default=Decimal("0"),
                               validators=[MinValueValidator(Decimal("0"), message="Die Tage dürfen nicht negativ sein.")])
    no_demand = models.BooleanField("kein Bedarf", default=False)
    special_arrangement = models.CharField("Sonderregelung", max_length=200, blank=True,
                                           help_text="z. B. eigene Stelle, gesondert gezählt (Troisdorf)")
    handed_over_to = models.ForeignKey(Partner, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="allocation_shares", verbose_name="weitergegeben an")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "CM-Einsatz einer Kommune"
        verbose_name_plural = "CM-Einsatz der Kommunen"
        ordering = ["allocation", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "municipality"], name="allocation_share_unique_municipality"),
            models.CheckConstraint(condition=Q(days__gte=0), name="allocation_share_days_not_negative",
                                   violation_error_message="Die Tage dürfen nicht negativ sein."),
            models.CheckConstraint(condition=Q(handed_over_to__isnull=True) | Q(days__gte=MIN_HANDOVER_DAYS),
                                   name="allocation_share_handover_min_half_fte",
                                   violation_error_message="Ein weitergegebener Anteil muss mindestens 0,5 VZÄ (2,5 Tage) umfassen."),
            models.CheckConstraint(condition=Q(no_demand=False) | Q(days=0), name="allocation_share_no_demand_no_days",
                                   violation_error_message="Eine Kommune ohne Bedarf erhält keine Tage."),
        ]

    def __str__(self):
        return f"{self.municipality}: {self.days} Tage"

    @property
    def fte(self) -> Decimal:
        return self.days / DAYS_PER_FTE

    def clean(self):
        errors = {}
        if self.days is not None and self.days < 0:
            errors["days"] = "Die Tage dürfen nicht negativ sein."
        if self.handed_over_to_id and (self.days or 0) < MIN_HANDOVER_DAYS:
            errors["handed_over_to"] = "Ein weitergegebener Anteil muss mindestens 0,5 VZÄ (2,5 Tage) umfassen."
        if self.no_demand and self.days:
            errors["no_demand"] = "Eine Kommune ohne Bedarf erhält keine Tage."
        if self.allocation_id and self.municipality_id and self.municipality.county_id != self.allocation.county_id:
            errors["municipality"] = "Die Kommune gehört zu einem anderen Kreis."
        if errors:
            raise ValidationError(errors)


class CooperationAgreement(models.Model):
    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="cooperation_agreements",
                               verbose_name="Kreis")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="cooperation_agreements",
                                     verbose_name="Kommune")
    allocation = models.ForeignKey(CaseManagementAllocation, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="agreements", verbose_name="Einsatzplanung")
    signed_on = models.DateField("unterzeichnet am", null=True, blank=True)
    valid_from = models.DateField("gültig ab")
    valid_until = models.DateField("gültig bis", null=True, blank=True)
    note = models.TextField("Regelungen", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Kooperationsvereinbarung"
        verbose_name_plural = "Kooperationsvereinbarungen"
        ordering = ["county__name", "municipality__name", "-valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                                   name="agreement_until_after_from",
                                   violation_error_message="„gültig bis“ darf nicht vor „gültig ab“ liegen."),
        ]

    def __str__(self):
        return f"Kooperationsvereinbarung {self.municipality}"

    def clean(self):
        if self.municipality_id and self.county_id and self.municipality.county_id != self.county_id:
            raise ValidationError({"municipality": "Die Kommune gehört zu einem anderen Kreis."})


class CostSplit(models.Model):
    class BorneBy(models.TextChoices):
        COUNTY = "county", "Kreis"
        PARTNER = "partner", "Kommune / Partner"

    class Item(models.TextChoices):
        PERSONNEL = "personnel", "Personalkosten"
        IT = "it", "IT"
        TRAVEL = "travel", "Reisekosten"
        ROOM_MATERIAL = "room_material", "Raum- und Sachkosten"
        OTHER = "other", "Sonstiges"

    agreement = models.ForeignKey(CooperationAgreement, on_delete=models.CASCADE, related_name="cost_splits",
                                  verbose_name="Vereinbarung")
    item = models.CharField("Kostenart", max_length=20, choices=Item.choices)
    borne_by = models.CharField("trägt", max_length=10, choices=BorneBy.choices)
    annual_per_fte = MoneyField("Betrag je VZÄ und Jahr", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Kostenaufteilung"
        verbose_name_plural = "Kostenaufteilungen"
        ordering = ["agreement", "item"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "item"], name="cost_split_unique_item"),
            models.CheckConstraint(condition=Q(annual_per_fte__isnull=True) | Q(annual_per_fte__gte=0),
                                   name="cost_split_not_negative",
                                   violation_error_message="Der Betrag darf nicht negativ sein."),
        ]

    def __str__(self):
        return f"{self.get_item_display()}: {self.get_borne_by_display()}"


class PositionQuerySet(models.QuerySet):
    def for_table(self):
        return self.select_related("county", "module__programme", "funded_slot", "pay_grade", "employer",
                                   "allocation", "own_share_budget_line")

    def with_splits(self):
        """With the municipalities sharing each own share (staffing.splits), as the engine's blocks need them."""
        return self.prefetch_related(models.Prefetch("own_share_splits", queryset=OwnShareSplit.objects
                                                     .select_related("partner").order_by("partner__name", "pk")))

    def active_in(self, start, end):
        return self.filter(Q(start_on__isnull=True) | Q(start_on__lte=end)).filter(Q(end_on__isnull=True) | Q(end_on__gte=start))


class Position(Versioned):
    class Status(models.TextChoices):
        PLANNED = "planned", "geplant"
        VACANT = "vacant", "unbesetzt"
        FILLED = "filled", "besetzt"

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="positions", verbose_name="Kreis")
    title = models.CharField("Bezeichnung", max_length=200)
    position_number = models.CharField("Stellennummer", max_length=40, blank=True)
    holder_name = models.CharField("Stelleninhaber/in", max_length=200, blank=True,
                                   help_text="Personenbezogen: wird dem Ausschuss nie angezeigt.")
    unit = models.CharField("Organisationseinheit", max_length=120, default="KI")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="positions", verbose_name="Baustein")
    funded_slot = models.ForeignKey(FundedSlot, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="positions", verbose_name="Förderstelle")
    pay_grade = models.ForeignKey(PayGrade, on_delete=models.PROTECT, related_name="positions",
                                  verbose_name="Entgeltgruppe")
    fte = FTEField("Stellenanteil (VZÄ)", validators=[
        MinValueValidator(Decimal("0.001"), message=FTE_MESSAGE), MaxValueValidator(Decimal("1"), message=FTE_MESSAGE)])
    status = models.CharField("Status", max_length=10, choices=Status.choices, default=Status.PLANNED)
    status_since = models.DateField("Status seit", null=True, blank=True)
    start_on = models.DateField("Beginn")
    end_on = models.DateField("Ende", null=True, blank=True)
    fixed_term_until = models.DateField("befristet bis", null=True, blank=True)
    employer = models.ForeignKey(Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="positions",
                                 verbose_name="Anstellungsträger",
                                 help_text="Leer: der Kreis. Sonst trägt der Partner den Eigenanteil.")
    county_top_up = MoneyField(
        "Zuschuss des Kreises je VZÄ und Jahr", null=True, blank=True,
        help_text="Nur bei einem anderen Anstellungsträger: was der Kreis freiwillig je VZÄ zuschießt "
                  "(z. B. 5.000 €); den Rest des Eigenanteils trägt der Anstellungsträger.")
    allocation = models.ForeignKey(CaseManagementAllocation, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="positions", verbose_name="CM-Einsatzplanung")
    own_share_budget_line = models.ForeignKey("budgeting.BudgetLine", on_delete=models.SET_NULL, null=True, blank=True,
                                              related_name="positions", verbose_name="Eigenanteil veranschlagt auf")
    note = models.TextField("Bemerkung", blank=True)

    objects = PositionQuerySet.as_manager()

    HISTORY_EMPTY = {"employer": "Kreis"}  # what an empty field means in the change history (kimportal.history)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Stelle"
        verbose_name_plural = "Stellen"
        ordering = ["county__name", "module__code", "title", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(fte__gt=0) & Q(fte__lte=1), name="position_fte_between_0_and_1",
                                   violation_error_message=FTE_MESSAGE),
            models.CheckConstraint(condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                                   name="position_end_after_start",
                                   violation_error_message="Das Ende darf nicht vor dem Beginn liegen."),
        ]

    def __str__(self):
        return f"{self.title} ({self.fte} VZÄ {self.pay_grade})" if self.pay_grade_id else self.title

    def clean(self):
        errors = {}
        if self.start_on and self.end_on and self.end_on < self.start_on:
            errors["end_on"] = "Das Ende darf nicht vor dem Beginn liegen."
        if self.fixed_term_until and self.start_on and self.fixed_term_until < self.start_on:
            errors["fixed_term_until"] = "Die Befristung darf nicht vor dem Beginn enden."
        if self.funded_slot_id and self.module_id and self.funded_slot.module_id != self.module_id:
            errors["funded_slot"] = "Die Förderstelle gehört zu einem anderen Baustein."
        if self.county_top_up is not None and not self.employer_id:
            errors["county_top_up"] = ("Ein Zuschuss des Kreises gilt nur für Stellen eines anderen "
                                       "Anstellungsträgers; bei eigenen Stellen trägt der Kreis den Eigenanteil ganz.")
        if self.employer_id and self.own_share_budget_line_id and self.county_top_up is None:
            errors["own_share_budget_line"] = (
                "Den Eigenanteil dieser Stelle trägt der Anstellungsträger; der Kreis veranschlagt nichts. Bitte die "
                "Haushaltsstelle leeren – oder einen Zuschuss des Kreises angeben, der dort veranschlagt wird.")
        if self.county_id:
            for field in ("employer", "allocation", "own_share_budget_line"):
                related = getattr(self, field) if getattr(self, f"{field}_id") else None
                if related is not None and related.county_id != self.county_id:
                    errors[field] = "Dieser Eintrag gehört zu einem anderen Kreis."
            if self.module_id and self.module.programme.county_id not in (None, self.county_id):
                errors["module"] = "Dieser Baustein gehört zu einem anderen Kreis."
        if errors:
            raise ValidationError(errors)


class OwnShareSplit(models.Model):
    """A municipality's part of the own share of a post another town employs for it (staffing.splits).

    By days of the post's working week or a percentage of the employer's own share, and/or up to an amount
    a year (Nottuln: up to 5.000 € a year for its half of a post employed by Dülmen). The employer bears the
    rest. The rows' sums are checked over all rows of the position (staffing.splits.split_errors).
    """

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="own_share_splits",
                                 verbose_name="Stelle")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="own_share_splits",
                                verbose_name="Kommune / Partner")
    days = QuantityField("Tage je Arbeitswoche", null=True, blank=True,
                         help_text="Tage der Arbeitswoche dieser Stelle, die die Kommune erhält (1 VZÄ = 5 Tage).")
    percent = QuantityField("Anteil in %", null=True, blank=True,
                            help_text="fester Anteil am Eigenanteil des Anstellungsträgers")
    annual_amount = MoneyField("Betrag bis zu (€ je Jahr)", null=True, blank=True,
                               help_text="allein: ein Betrag bis zu dieser Höhe; mit Tagen oder Anteil: deren Obergrenze")
    agreement = models.CharField("Vereinbarung", max_length=200, blank=True,
                                 help_text="z. B. öffentlich-rechtliche Vereinbarung vom 12.03.2021")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Aufteilung des Eigenanteils"
        verbose_name_plural = "Aufteilung des Eigenanteils"
        ordering = ["position", "partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["position", "partner"], name="own_share_split_unique_partner",
                                    violation_error_message="Diese Kommune steht schon in der Aufteilung."),
            models.CheckConstraint(condition=Q(days__isnull=True) | Q(percent__isnull=True),
                                   name="own_share_split_days_or_percent",
                                   violation_error_message="Bitte entweder Tage oder einen Anteil in %% angeben."),
            models.CheckConstraint(condition=Q(days__isnull=False) | Q(percent__isnull=False)
                                   | Q(annual_amount__isnull=False), name="own_share_split_something",
                                   violation_error_message="Bitte Tage, einen Anteil in %% oder einen Betrag angeben."),
            models.CheckConstraint(condition=(Q(days__isnull=True) | Q(days__gt=0, days__lte=5))
                                   & (Q(percent__isnull=True) | Q(percent__gt=0, percent__lte=100)),
                                   name="own_share_split_in_range",
                                   violation_error_message="Tage: mehr als 0 und höchstens 5; Anteil: mehr als 0 und "
                                                           "höchstens 100 %%."),
        ]

    def __str__(self):
        return f"{self.partner}: {self.rule().basis_text(self.position.fte)}" if self.position_id else str(self.partner)

    def rule(self):
        """The row as the pure rules see it (staffing.splits.SplitRow)."""
        from .splits import SplitRow

        return SplitRow(party=self.partner.name if self.partner_id else "", days=self.days, percent=self.percent,
                        annual_amount=self.annual_amount, party_id=self.partner_id)

    def clean(self):
        errors = {}
        if self.partner_id and self.position_id and self.partner.county_id != self.position.county_id:
            errors["partner"] = "Dieser Partner gehört zu einem anderen Kreis."
        if self.days is not None and not (0 < self.days <= DAYS_PER_FTE):
            errors["days"] = "Die Tage müssen größer als 0 und höchstens 5 sein."
        if self.percent is not None and not (0 < self.percent <= 100):
            errors["percent"] = "Der Anteil muss größer als 0 und höchstens 100 % sein."
        if errors:
            raise ValidationError(errors)
