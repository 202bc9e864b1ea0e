from django import forms
from django.core.validators import validate_slug

from .reader import not_a_workbook

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class UploadForm(forms.Form):
    """The upload of a workbook; a file that is no XLSX workbook is refused here with one German message."""

    file = forms.FileField(label="Arbeitsmappe (.xlsx)",
                           help_text="eine mit kimportal erstellte oder aus der Vorlage ausgefüllte Mappe")
    slug = forms.CharField(label="Kürzel (neu)", required=False, max_length=60, validators=[validate_slug],
                           help_text="leer: das Kürzel aus der Tabelle „Kreis“")
    name = forms.CharField(label="Name (neu)", required=False, max_length=120,
                           help_text="leer: der Name aus der Tabelle „Kreis“")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Die Datei ist größer als 10 MB.")
        upload.seek(0)
        head = upload.read(4)
        upload.seek(0)
        # An XLSX workbook is a ZIP archive: whatever else it is (CSV, PDF, .xls), the name does not matter.
        if not head.startswith(b"PK") or not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(f"„{upload.name}“: {not_a_workbook(upload)}")
        return upload
