"""Model fields for money and FTE, quantized half up before they reach the database.

SQLite rounds a Decimal half-even when it stores it into a 2-place column,
PostgreSQL half away from zero; quantizing here makes both store the same.
"""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.validators import MinValueValidator
from django.db import models

from kimportal.forms import GermanDecimalField
from kimportal.money import CENT, FTE_STEP, to_decimal


class _QuantizedDecimalField(models.DecimalField):
    quantum = CENT
    form_defaults: dict = {}

    def formfield(self, **kwargs):
        """A GermanDecimalField (kimportal.numbers): 1.141.046,80 is read, 1.141.046.80 refused."""
        form_class = kwargs.get("form_class", GermanDecimalField)
        defaults = self.form_defaults if issubclass(form_class, GermanDecimalField) else {}
        return super().formfield(**{"form_class": form_class, **defaults, **kwargs})

    def get_db_prep_save(self, value, connection):
        if value is not None:
            value = to_decimal(value).quantize(self.quantum, rounding=ROUND_HALF_UP)
        return super().get_db_prep_save(value, connection)

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value is not None and not isinstance(value, float):
            try:
                value = to_decimal(value).quantize(self.quantum, rounding=ROUND_HALF_UP)
            except (ValueError, InvalidOperation):
                return value
            setattr(model_instance, self.attname, value)
        return value


class MoneyField(_QuantizedDecimalField):
    """An amount in euros and cents, never negative unless allow_negative."""

    form_defaults = {"currency": True}

    def __init__(self, *args, allow_negative: bool = False, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        self.allow_negative = allow_negative
        validators = list(kwargs.pop("validators", []))
        if not allow_negative:
            validators.append(MinValueValidator(Decimal("0"), message="Der Betrag darf nicht negativ sein."))
        kwargs["validators"] = validators
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        if self.allow_negative:
            kwargs["allow_negative"] = True
        return name, path, args, kwargs


class FTEField(_QuantizedDecimalField):
    """Full-time equivalents with three places (0,375 VZÄ exists in practice)."""

    quantum = FTE_STEP
    form_defaults = {"example": "0,375"}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 7)
        kwargs.setdefault("decimal_places", 3)
        super().__init__(*args, **kwargs)


class QuantityField(_QuantizedDecimalField):
    """Days of a working week or a percentage, two places (2,5 Tage · 50 %)."""

    form_defaults = {"example": "2,5"}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 6)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)
