from collections.abc import Callable

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from kimportal.concurrency import Versioned, claim_version
from kimportal.forms import GermanDecimalField
from kimportal.money import format_money

from .models import County, DataVersion, Municipality, Partner, User


def money_column(model: type[models.Model], field_name: str) -> Callable[[models.Model], str | None]:
    """A list_display column showing an amount as the papers print it: 1.234 € (cents only where there are any)."""
    field = model._meta.get_field(field_name)

    @admin.display(description=field.verbose_name, ordering=field_name)
    def column(obj):
        value = getattr(obj, field_name)
        if value is None:
            return None
        return format_money(value, 0 if value == value.to_integral_value() else 2)

    column.__name__ = field_name
    return column


# Django's admin leaves number inputs unlocalised; here 0,75 VZÄ and 1.234,56 € are typed the German way,
# read by the app's one parser (kimportal.numbers), and 7,000 VZÄ is not shown as "7.000". Integers (years,
# inhabitants) stay as they are.
LOCALIZED_DECIMALS = {models.DecimalField: {"localize": True, "form_class": GermanDecimalField}}


class ModelAdmin(SimpleHistoryAdmin):
    formfield_overrides = LOCALIZED_DECIMALS

    def save_model(self, request, obj, form, change):
        # An admin save counts as a change, so that browser editors who loaded the record earlier notice it.
        if change and isinstance(obj, Versioned):
            obj.version = claim_version(obj, expected_version=None)
        super().save_model(request, obj, form, change)


class TabularInline(admin.TabularInline):
    formfield_overrides = LOCALIZED_DECIMALS


class MunicipalityInline(TabularInline):
    model = Municipality
    # A kreisfreie Stadt's units are Stadtbezirke or Dienststellen (kind); the AGS matches official tables.
    fields = ("name", "kind", "ags", "population", "population_as_of", "population_source", "budget_recovery_plan")
    extra = 0


@admin.register(County)
class CountyAdmin(ModelAdmin):
    # The value limits of § 83 GO NRW are the provisions app's (ProvisionStatute), one source of truth.
    list_display = ("name", "slug", "kind", "key", "budget_recovery_plan", "centre_name", "office")
    list_filter = ("kind", "budget_recovery_plan")
    search_fields = ("name", "slug", "key", "centre_name")
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "key", "centre_name", "office")}),
        ("Haushalt", {"fields": ("budget_recovery_plan",),
                      "description": "Eine kreisfreie Stadt (oder ein Kreis) im Haushaltssicherungskonzept nach "
                                     "§ 76 GO NRW: Eigenanteilsseite und Risikobericht weisen darauf hin."}),
    )
    prepopulated_fields = {"slug": ("name",)}
    inlines = (MunicipalityInline,)


@admin.register(Municipality)
class MunicipalityAdmin(ModelAdmin):
    # The Umlagegrundlagen are per fiscal year in the levy app's own admin ("Umlagegrundlagen").
    list_display = ("name", "county", "kind", "ags", "population", "population_as_of", "budget_recovery_plan")
    list_filter = ("county", "kind", "budget_recovery_plan")
    list_select_related = ("county",)
    search_fields = ("name", "ags", "county__name")
    fields = ("county", "name", "kind", "ags", "population", "population_as_of", "population_source",
              "budget_recovery_plan")


@admin.register(Partner)
class PartnerAdmin(ModelAdmin):
    list_display = ("name", "kind", "county", "municipality")
    list_filter = ("county", "kind")
    list_select_related = ("county", "municipality")
    search_fields = ("name", "municipality__name")
    autocomplete_fields = ("county", "municipality")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Kreis", {"fields": ("county",)}))
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, ("Kreis", {"fields": ("county",)}))
    list_display = (*DjangoUserAdmin.list_display, "county")
    list_filter = (*DjangoUserAdmin.list_filter, "county")
    list_select_related = ("county",)
    search_fields = (*DjangoUserAdmin.search_fields, "county__name")
    autocomplete_fields = ("county",)


@admin.register(DataVersion)
class DataVersionAdmin(admin.ModelAdmin):
    """The data versions (kimportal.versioning), to look at: a version is only ever raised by writes, never set by
    hand (a lower one could serve stale cached results)."""

    list_display = ("key", "version")
    search_fields = ("key",)
    readonly_fields = ("version",)

    def get_readonly_fields(self, request, obj=None):
        return ("key", "version") if obj is not None else ("version",)
