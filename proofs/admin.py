"""Proofs of use in the Django admin (the pages under /verwendungsnachweise/ are where users keep them)."""
from django.contrib import admin

from kimportal.admin import ModelAdmin

from .models import ProofOfUse, RecipientProof


@admin.register(ProofOfUse)
class ProofOfUseAdmin(ModelAdmin):
    list_display = ("__str__", "fiscal_year", "due_on", "submitted_on", "checked_on")
    list_filter = ("county", "fiscal_year")
    list_select_related = ("decision__programme", "decision__module", "coverage_source")
    raw_id_fields = ("decision", "coverage_source")


@admin.register(RecipientProof)
class RecipientProofAdmin(ModelAdmin):
    list_display = ("__str__", "received_on", "checked_on", "used")
    list_select_related = ("pass_through__recipient",)
    raw_id_fields = ("pass_through",)
