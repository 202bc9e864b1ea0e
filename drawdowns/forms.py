"""The draw-down form: the rules of drawdowns.rules checked against the decision's other draw-downs."""

from budgeting.forms import LocalizedModelForm
from drawdowns.models import Drawdown
from drawdowns.selectors import rule_errors
from kimportal.concurrency import VersionedFormMixin


class DrawdownForm(VersionedFormMixin, LocalizedModelForm):
    """Due day, request and receipt of one draw-down of ``decision`` (a GrantDecision of the user's county)."""

    class Meta:
        model = Drawdown
        fields = ["due_on", "requested_on", "requested_amount", "received_on", "received_amount", "note"]
        help_texts = {"requested_amount": "Bei einem geplanten Abruf der vorgesehene Betrag; "
                                          "„angefordert am“ bleibt dann leer."}

    def __init__(self, *args, decision=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision or self.instance.decision

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        self.check_rules(cleaned)
        return cleaned

    def check_rules(self, cleaned=None) -> bool:
        """Check the draw-down against the decision's stored draw-downs; add the errors; True if none.

        Called again inside the saving transaction with the decision locked, so two people calling at once
        cannot together go beyond the decision's amount."""
        errors = rule_errors(self.decision, self.instance.pk, cleaned if cleaned is not None else self.cleaned_data)
        for field, message in errors.items():
            self.add_error(None if field == "__all__" else field, message)
        return not errors
