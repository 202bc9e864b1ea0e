"""Draw-downs in the Django admin, with the same rules as the pages (drawdowns.rules)."""
from django import forms
from django.contrib import admin

from drawdowns.models import Drawdown
from drawdowns.selectors import rule_errors
from kimportal.admin import ModelAdmin, money_column


class DrawdownAdminForm(forms.ModelForm):
    class Meta:
        model = Drawdown
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision is None or self.errors:
            return cleaned
        for field, message in rule_errors(decision, self.instance.pk, cleaned).items():
            self.add_error(None if field == "__all__" else field, message)
        return cleaned


@admin.register(Drawdown)
class DrawdownAdmin(ModelAdmin):
    form = DrawdownAdminForm
    list_display = ("decision", "due_on", "requested_on", money_column(Drawdown, "requested_amount"), "received_on",
                    money_column(Drawdown, "received_amount"))
    list_select_related = ("decision__programme", "decision__module")
    list_filter = ("decision__county",)
    raw_id_fields = ("decision",)
