"""The vacancy form: when one position of the user's county was (or will be) vacant, with German dates."""
from django.core.exceptions import ValidationError

from budgeting.forms import LocalizedModelForm
from kimportal.concurrency import VersionedFormMixin

from .models import Vacancy


class VacancyForm(VersionedFormMixin, LocalizedModelForm):
    """From, to (empty: still vacant) and a note for a vacancy of ``position`` (a Position of the user's county).

    Dates as 01.01.2022. The model's rules (actuals.models.Vacancy.clean: the position's term, no overlap with
    another vacancy of the position) run on validation and, through ``check_rules``, again inside the saving
    transaction.
    """

    class Meta:
        model = Vacancy
        fields = ["start_on", "end_on", "note"]
        help_texts = {"start_on": "TT.MM.JJJJ, z. B. 01.01.2022",
                      "end_on": "TT.MM.JJJJ, der letzte unbesetzte Tag; leer: noch unbesetzt"}

    def __init__(self, *args, position=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.position = position or self.instance.position
        # The model's rules need the position and its county before validation (ModelForm._post_clean).
        self.instance.position = self.position
        self.instance.county_id = self.position.county_id

    def check_rules(self) -> bool:
        """Check the model's rules again against what is stored now; add the errors; True if none.

        Called inside the saving transaction with the position locked, so two people recording overlapping
        vacancies at once cannot both succeed (on PostgreSQL; SQLite serialises writes anyway)."""
        try:
            self.instance.clean()
        except ValidationError as exc:
            errors = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
            for field, problems in errors.items():
                self.add_error(field if field in self.fields else None, problems)
            return False
        return True
