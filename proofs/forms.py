"""The forms of the proof-of-use pages: the county's proof (status, Sachbericht) and a recipient's proof.

Both records are created on their first save. The rules are the models' (proofs.models: checked needs submitted
or received, no date in the future, a recipient uses at most what was passed on); the messages are German.
"""
from django import forms
from django.core.exceptions import ValidationError

from budgeting.forms import LocalizedModelForm
from kimportal.concurrency import MISSING_VERSION_MESSAGE, VersionedFormMixin
from proofs.models import ProofOfUse, RecipientProof

# The version a page sends for a record that did not exist when it was loaded. If someone creates the record in
# the meantime, claiming version 0 fails and the save is refused as a conflict (kimportal.concurrency).
NOT_YET_CREATED = 0


class CreatedOnSaveVersionMixin(VersionedFormMixin):
    """Optimistic locking for a record the first save creates: a page loaded without a record sends version 0."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(required=False, min_value=NOT_YET_CREATED,
                                                    widget=forms.HiddenInput)
        self.initial["version"] = self.instance.version if self.instance.pk else NOT_YET_CREATED

    def clean_version(self):
        version = self.cleaned_data.get("version")
        if self.instance.pk and version is None:
            raise ValidationError(MISSING_VERSION_MESSAGE, code="missing_version")
        return version


class ProofOfUseForm(CreatedOnSaveVersionMixin, LocalizedModelForm):
    """Status and Sachbericht of the county's proof of use for a decision and year, or for a coverage source.

    The instance carries its county and its decision and year (or source) before validation, so that the model's
    rules (ProofOfUse.clean) see them."""

    class Meta:
        model = ProofOfUse
        fields = ["factual_report", "due_on", "submitted_on", "checked_on", "checked_by", "note"]
        widgets = {"factual_report": forms.Textarea(attrs={"rows": 12}), "note": forms.Textarea(attrs={"rows": 3})}


class RecipientProofForm(CreatedOnSaveVersionMixin, LocalizedModelForm):
    """A pass-through recipient's own proof: received, checked, the amount used (EUR)."""

    class Meta:
        model = RecipientProof
        fields = ["received_on", "checked_on", "used", "note"]
