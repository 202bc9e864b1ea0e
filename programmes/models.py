"""Programmes, modules, funding rates, applications, grant decisions, focus goals.

Programmes, modules, funded slots and rates with ``county`` empty are the
Land's reference data, shared by every county and maintained by
administrators; a county may add programmes of its own (its project funds).
"""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords
from django.db.models import Q
from django.utils.functional import cached_property

from budgeting.periods import version_end
from kimportal.models import County, Partner
from kimportal.concurrency import Versioned
from kimportal.fields import FTEField, MoneyField

from .choices import CostType, FieldOfAction, GoalStatus, RateKind, SlotBasis, StepKind
from .pass_throughs import Limits, Passing, Tree, build_tree, limit_errors

EXPECTED_HELP = ("Vom Land noch nicht beschieden, z. B. aus der Fortschreibung ins Folgejahr: der Plan rechnet mit "
                 "ihm, Mittel lassen sich erst abrufen, wenn der Bescheid vorliegt. Mit dem Bescheiddatum "
                 "(„Bescheid vom“) wird er ein wirklicher Bescheid.")
SECOND_LEVEL_NEEDS_FIRST = ("Eine Weiterleitung auf zweiter Stufe setzt voraus, dass der Bescheid die Weiterleitung "
                            "an Dritte zulässt.")


class CodeManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Programme(Versioned):
    county = models.ForeignKey(
        County, on_delete=models.CASCADE, null=True, blank=True, related_name="programmes", verbose_name="Kreis",
        help_text="Leer: Landesprogramm (Referenzdaten). Gesetzt: eigenes Programm des Kreises.",
    )
    code = models.SlugField("Kürzel", max_length=60, unique=True)
    name = models.CharField("Name", max_length=200)
    funder = models.CharField("Mittelgeber / Ministerium", max_length=200, blank=True)
    granting_authority = models.CharField("Bewilligungsbehörde", max_length=200, blank=True)
    legal_basis = models.CharField("Rechtsgrundlage / Richtlinie", max_length=300, blank=True)
    starts_on = models.DateField("Beginn", null=True, blank=True)
    ends_on = models.DateField("Ende", null=True, blank=True)
    description = models.TextField("Beschreibung", blank=True)

    objects = CodeManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Förderprogramm"
        verbose_name_plural = "Förderprogramme"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="programme_end_after_start",
                violation_error_message="Das Ende darf nicht vor dem Beginn liegen.",
            )
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    @property
    def is_reference(self) -> bool:
        return self.county_id is None


class Module(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="modules", verbose_name="Programm")
    code = models.SlugField("Kürzel", max_length=60, unique=True)
    name = models.CharField("Name", max_length=200)
    position = models.PositiveSmallIntegerField("Reihenfolge", default=0)
    application_required = models.BooleanField(
        "Förderung nur mit Bescheid", default=True,
        help_text="Aus: gefördert „ohne Antrag“ nach den Fördersätzen (KIM Bausteine 2 und 3); "
                  "ein Bescheid begrenzt die Förderung dennoch, wo es einen gibt.")
    description = models.TextField("Beschreibung", blank=True)

    objects = CodeManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Baustein / Modul"
        verbose_name_plural = "Bausteine / Module"
        ordering = ["programme__name", "position", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class FundedSlot(models.Model):
    """A slot the grant pays for (Förderstelle), e.g. 0,5 VZÄ Verwaltungsassistenz = one slot."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="funded_slots", verbose_name="Baustein")
    code = models.SlugField("Kürzel", max_length=60, unique=True)
    name = models.CharField("Bezeichnung", max_length=200)
    basis = models.CharField("Förderung", max_length=10, choices=SlotBasis.choices, default=SlotBasis.PER_FTE)
    nominal_fte = FTEField(
        "Nominaler Stellenanteil", default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.001"), message="Der Stellenanteil muss größer als 0 sein.")],
    )

    objects = CodeManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Förderstelle"
        verbose_name_plural = "Förderstellen"
        ordering = ["module__code", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(nominal_fte__gt=0), name="funded_slot_fte_positive",
                                   violation_error_message="Der Stellenanteil muss größer als 0 sein."),
        ]

    def __str__(self):
        return f"{self.module.name}: {self.name}"

    def natural_key(self):
        return (self.code,)


class FundingRateQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(valid_from__lte=day).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))


class FundingRate(models.Model):
    """A rate with a validity period. Rates are caps ("bis zu"); changes are new rows, never overwrites."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="rates", verbose_name="Baustein")
    funded_slot = models.ForeignKey(
        FundedSlot, on_delete=models.CASCADE, null=True, blank=True, related_name="rates", verbose_name="Förderstelle"
    )
    kind = models.CharField("Art", max_length=20, choices=RateKind.choices)
    cost_type = models.CharField("Kostenart", max_length=20, choices=CostType.choices)
    amount = MoneyField("Betrag pro Jahr")
    cap = MoneyField("Höchstbetrag", null=True, blank=True)
    max_fte = FTEField("Höchstens VZÄ", null=True, blank=True)
    valid_from = models.DateField("gültig ab")
    valid_until = models.DateField("gültig bis", null=True, blank=True)
    source = models.CharField("Quelle", max_length=300, blank=True, help_text="z. B. Förderrichtlinie, Änderungsliste")

    objects = FundingRateQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Fördersatz"
        verbose_name_plural = "Fördersätze"
        ordering = ["module__code", "funded_slot__code", "cost_type", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="funding_rate_until_after_from",
                violation_error_message="„gültig bis“ darf nicht vor „gültig ab“ liegen.",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_rate_amount_not_negative",
                                   violation_error_message="Der Betrag darf nicht negativ sein."),
        ]

    def __str__(self):
        return f"{self.get_cost_type_display()} {self.amount} € ({self.module.code}, ab {self.valid_from:%d.%m.%Y})"

    def siblings(self):
        """Rates of the same module, funded slot, kind and cost type: the versions of this rate."""
        return FundingRate.objects.filter(
            module_id=self.module_id, funded_slot_id=self.funded_slot_id, kind=self.kind, cost_type=self.cost_type
        ).exclude(pk=self.pk)

    @property
    def effective_until(self):
        """The last day the rate applies: its "gültig bis", or for an open end the day before a newer rate starts.

        DOMAIN.md: "A rate without an end date is valid until a newer one starts" (Baustein 2: 55.000 € until
        31.12.2022, 57.000 € from 01.01.2023). None: valid until further notice.
        """
        if self.valid_until:
            return self.valid_until
        return version_end(self.valid_from, None, self.siblings().values_list("valid_from", flat=True))

    def overlapping(self):
        """Versions this rate contradicts. An open end yields to a newer rate, so it overlaps nothing newer; a
        fixed "gültig bis" that reaches another version's start, or the same start, is a contradiction."""
        others = self.siblings()
        conflict = Q(valid_from=self.valid_from) | Q(valid_from__lt=self.valid_from, valid_until__gte=self.valid_from)
        if self.valid_until:
            conflict |= Q(valid_from__gt=self.valid_from, valid_from__lte=self.valid_until)
        return others.filter(conflict)

    def clean(self):
        errors = {}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = "„gültig bis“ darf nicht vor „gültig ab“ liegen."
        if self.funded_slot_id and self.module_id and self.funded_slot.module_id != self.module_id:
            errors["funded_slot"] = "Die Förderstelle gehört zu einem anderen Baustein."
        if self.kind == RateKind.FIXED_CAPPED and self.cap is None:
            errors["cap"] = "Ein Festbetrag braucht einen Höchstbetrag."
        if errors:
            raise ValidationError(errors)
        if self.module_id and self.valid_from and self.overlapping().exists():
            raise ValidationError(
                "Für diesen Baustein, diese Förderstelle, Art und Kostenart gilt im selben Zeitraum schon ein Fördersatz."
            )



class Application(Versioned):
    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="applications", verbose_name="Kreis")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="applications", verbose_name="Programm")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, null=True, blank=True, related_name="applications",
                               verbose_name="Baustein")
    title = models.CharField("Bezeichnung", max_length=200)
    reference = models.CharField("Aktenzeichen", max_length=100, blank=True)
    note = models.TextField("Bemerkung", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Antrag"
        verbose_name_plural = "Anträge"
        ordering = ["county__name", "title"]

    def __str__(self):
        return self.title

    def clean(self):
        check_same_county(self, programme=self.programme if self.programme_id else None)


class ApplicationStep(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps", verbose_name="Antrag")
    kind = models.CharField("Schritt", max_length=30, choices=StepKind.choices)
    occurred_on = models.DateField("erledigt am", null=True, blank=True)
    due_on = models.DateField("fällig am", null=True, blank=True)
    note = models.CharField("Bemerkung", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Antragsschritt"
        verbose_name_plural = "Antragsschritte"
        ordering = ["application", models.F("occurred_on").asc(nulls_last=True), "due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(occurred_on__isnull=False) | Q(due_on__isnull=False),
                                   name="application_step_has_a_date",
                                   violation_error_message="Ein Schritt braucht ein Datum (erledigt oder fällig)."),
        ]

    def __str__(self):
        day = self.occurred_on or self.due_on
        return f"{self.get_kind_display()} ({day:%d.%m.%Y})" if day else self.get_kind_display()


class GrantDecision(Versioned):
    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="grant_decisions", verbose_name="Kreis")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="grant_decisions",
                                  verbose_name="Programm")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, null=True, blank=True, related_name="grant_decisions",
                               verbose_name="Baustein")
    application = models.ForeignKey(Application, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="grant_decisions", verbose_name="Antrag")
    reference = models.CharField("Aktenzeichen", max_length=100, blank=True)
    authority = models.CharField("Bewilligungsbehörde", max_length=200, blank=True)
    issued_on = models.DateField("Bescheid vom", null=True, blank=True)
    received_on = models.DateField("eingegangen am", null=True, blank=True)
    period_start = models.DateField("Bewilligungszeitraum von")
    period_end = models.DateField("Bewilligungszeitraum bis")
    amount = MoneyField("Bewilligter Betrag", null=True, blank=True,
                        help_text="Grenze der Weiterleitungen an Dritte (Nr. 12 VV zu § 44 LHO).")
    # Nr. 12 VV zu § 44 LHO: a grant is passed on to third parties only where the decision permits it. The
    # permission is the decision's, so it lives here, not on each pass-through.
    pass_through_permitted = models.BooleanField(
        "Weiterleitung an Dritte zugelassen", default=False,
        help_text="Nur wenn der Bescheid die Weiterleitung an Dritte zulässt (Nr. 12 VV zu § 44 LHO).")
    second_level_permitted = models.BooleanField(
        "Weiterleitung auf zweiter Stufe zugelassen", default=False,
        help_text="Der Erstempfänger darf an Letztempfänger weiterleiten (z. B. Kreis → Stadt → Caritas).")
    proof_of_use_due = models.DateField("Verwendungsnachweis fällig", null=True, blank=True)
    note = models.TextField("Bemerkung", blank=True)
    # Issue 12 §6: the rollover puts expected decisions into the plan before the Land decides; the plan computes
    # with them, but money is called only once the letter is there (drawdowns.rules, Nr. 1.4 ANBest-P/-G).
    expected = models.BooleanField("erwartet (noch kein Bescheid)", default=False, help_text=EXPECTED_HELP)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Zuwendungsbescheid"
        verbose_name_plural = "Zuwendungsbescheide"
        ordering = ["county__name", "-period_start", "programme__name"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="grant_decision_period_end_after_start",
                                   violation_error_message="Das Ende des Zeitraums darf nicht vor dem Beginn liegen."),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0),
                                   name="grant_decision_amount_not_negative",
                                   violation_error_message="Der Betrag darf nicht negativ sein."),
            models.CheckConstraint(condition=Q(second_level_permitted=False) | Q(pass_through_permitted=True),
                                   name="grant_decision_second_level_needs_pass_through",
                                   violation_error_message=SECOND_LEVEL_NEEDS_FIRST),
            models.CheckConstraint(condition=Q(expected=False) | Q(issued_on__isnull=True),
                                   name="grant_decision_expected_has_no_date",
                                   violation_error_message="Ein Bescheid mit Bescheiddatum ist nicht mehr erwartet."),
        ]

    def __str__(self):
        label = self.module.name if self.module_id else self.programme.name
        return f"{label} {self.period_start:%Y}"

    def save(self, *args, **kwargs):
        """Saving with the date of the letter (``issued_on``) makes an expected decision a real one."""
        if self.expected and self.issued_on is not None:
            self.expected = False
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "expected"}
        super().save(*args, **kwargs)

    def clean(self):
        if self.issued_on is not None:
            self.expected = False  # as save(): the date of the letter makes it a real decision
        # The pass-through limits are not checked here: the page and the admin edit the decision together with
        # its pass-throughs, and the stored rows would refuse an edit that lowers the amount and the rows at
        # once. They are checked on all rows together (programmes.pass_throughs.limit_errors).
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "Das Ende des Zeitraums darf nicht vor dem Beginn liegen."})
        if self.second_level_permitted and not self.pass_through_permitted:
            raise ValidationError({"second_level_permitted": SECOND_LEVEL_NEEDS_FIRST})
        check_same_county(self, programme=self.programme if self.programme_id else None)

    @property
    def fiscal_years(self) -> list[int]:
        """The fiscal years the period touches (each gets its proof of use, the last the final one)."""
        return list(range(self.period_start.year, self.period_end.year + 1))

    @property
    def pass_through_limits(self) -> Limits:
        """The stated amount (euros) and the permissions the decision's pass-throughs must keep to."""
        return Limits(self.amount, self.pass_through_permitted, self.second_level_permitted)

    @cached_property
    def pass_through_tree(self) -> Tree:
        """The stored pass-throughs by level, with what each level passes on and keeps (euros); uses the
        prefetched ``pass_throughs`` (with their recipients) where the page loaded them."""
        rows = self.pass_throughs.all()
        if "pass_throughs" not in getattr(self, "_prefetched_objects_cache", {}):
            rows = rows.select_related("recipient")
        return build_tree(self.pass_through_limits, rows)

    def stored_pass_through_errors(self) -> list[ValidationError]:
        """The pass-through rules the stored rows break (Nr. 12 VV zu § 44 LHO); [] if none."""
        rows = [Passing.of(row) for row in self.pass_throughs.select_related("recipient")]
        return limit_errors(self.pass_through_limits, rows)


class GrantedSlot(models.Model):
    decision = models.ForeignKey(GrantDecision, on_delete=models.CASCADE, related_name="slots",
                                 verbose_name="Zuwendungsbescheid")
    funded_slot = models.ForeignKey(FundedSlot, on_delete=models.PROTECT, related_name="grants",
                                    verbose_name="Förderstelle")
    count = FTEField("Anzahl", validators=[MinValueValidator(Decimal("0.001"), message="Die Anzahl muss größer als 0 sein.")])
    nominal_fte = FTEField("VZÄ je Stelle", validators=[MinValueValidator(Decimal("0.001"), message="Der Stellenanteil muss größer als 0 sein.")])

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Bewilligte Förderstelle"
        verbose_name_plural = "Bewilligte Förderstellen"
        ordering = ["decision", "funded_slot__code"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gt=0) & Q(nominal_fte__gt=0), name="granted_slot_positive"),
        ]

    def __str__(self):
        return f"{self.count} × {self.nominal_fte} VZÄ {self.funded_slot.name}"

    @property
    def total_fte(self):
        return self.count * self.nominal_fte


class PassThrough(models.Model):
    """Weiterleitung an Dritte (Nr. 12 VV zu § 44 LHO): part of a decision's grant handed to a recipient.

    On the first level the county passes on (``parent`` empty); on the second level a first recipient passes
    part of what it receives on to a final recipient (``parent``: the first-level pass-through, same decision)
    and checks that recipient's proof of use (``proof_of_use_due``: due to the first recipient). Sums and
    permissions are rules over all rows of a decision: programmes.pass_throughs.
    """

    decision = models.ForeignKey(GrantDecision, on_delete=models.CASCADE, related_name="pass_throughs",
                                 verbose_name="Zuwendungsbescheid")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="onward",
        verbose_name="über Erstempfänger",
        help_text="Leer: der Kreis leitet weiter. Gesetzt: der Erstempfänger leitet aus seiner Weiterleitung weiter "
                  "(zweite Stufe) und prüft den Verwendungsnachweis des Letztempfängers.",
    )
    recipient = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="pass_throughs",
                                  verbose_name="Empfänger")
    amount = MoneyField("Betrag", null=True, blank=True)
    purpose = models.CharField("Zweck", max_length=300, blank=True)
    contract_signed_on = models.DateField("Weiterleitungsvertrag vom", null=True, blank=True)
    proof_of_use_due = models.DateField("Verwendungsnachweis des Empfängers fällig", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Weiterleitung"
        verbose_name_plural = "Weiterleitungen"
        ordering = ["decision", "recipient__name"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0),
                                   name="pass_through_amount_not_negative",
                                   violation_error_message="Der Betrag darf nicht negativ sein."),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="pass_through_not_its_own_parent",
                                   violation_error_message="Eine Weiterleitung kann nicht über sich selbst laufen."),
        ]

    def __str__(self):
        return f"{self.recipient} ({self.decision})"

    def clean(self):
        """The row's own rules; the sums and permissions need all rows of the decision (see the class)."""
        errors = {}
        if self.recipient_id and self.decision_id and self.recipient.county_id != self.decision.county_id:
            errors["recipient"] = "Der Empfänger gehört zu einem anderen Kreis."
        parent = self.parent if self.parent_id else None
        if parent is not None:
            if self.pk and parent.pk == self.pk:
                errors["parent"] = "Eine Weiterleitung kann nicht über sich selbst laufen."
            elif self.decision_id and parent.decision_id != self.decision_id:
                errors["parent"] = "Die Weiterleitung des Erstempfängers gehört zu einem anderen Bescheid."
            elif parent.parent_id:
                errors["parent"] = ("Weiterleitungen gibt es nur auf zwei Stufen (Kreis → Erstempfänger → "
                                    "Letztempfänger); diese läuft schon über einen Erstempfänger.")
            elif self.pk and self.onward.exists():
                errors["parent"] = ("Diese Weiterleitung leitet selbst weiter; sie kann nicht auf zweiter Stufe "
                                    "stehen.")
            elif self.recipient_id and parent.recipient_id == self.recipient_id:
                errors["recipient"] = "Der Letztempfänger muss ein anderer sein als der Erstempfänger."
        if errors:
            raise ValidationError(errors)


class FocusGoal(Versioned):
    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="focus_goals", verbose_name="Kreis")
    field_of_action = models.CharField("Handlungsfeld", max_length=20, choices=FieldOfAction.choices)
    number = models.PositiveSmallIntegerField("Nr.", default=1)
    title = models.CharField("Schwerpunkt", max_length=300)
    text = models.TextField("Ziel")
    measures = models.TextField("Maßnahmen", blank=True)
    starts_on = models.DateField("Laufzeit ab", null=True, blank=True)
    due_on = models.DateField("fällig am")
    approved_on = models.DateField("genehmigt am", null=True, blank=True)
    approved_by = models.CharField("genehmigt durch", max_length=200, blank=True)
    reported_on = models.DateField("dem Ausschuss berichtet am", null=True, blank=True)
    status = models.CharField("Status", max_length=20, choices=GoalStatus.choices, default=GoalStatus.PLANNED)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Schwerpunktziel"
        verbose_name_plural = "Schwerpunktziele"
        ordering = ["county__name", "due_on", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__isnull=True) | Q(due_on__gte=models.F("starts_on")),
                                   name="focus_goal_due_after_start",
                                   violation_error_message="Das Fälligkeitsdatum darf nicht vor dem Beginn liegen."),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


def check_same_county(obj, **related):
    """Programmes of another county may not be referenced (the Land's are shared)."""
    errors = {}
    for field, other in related.items():
        if other is None or not getattr(obj, "county_id", None):
            continue
        other_county = getattr(other, "county_id", None)
        if other_county is not None and other_county != obj.county_id:
            errors[field] = "Dieser Eintrag gehört zu einem anderen Kreis."
    if errors:
        raise ValidationError(errors)
