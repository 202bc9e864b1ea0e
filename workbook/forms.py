from django import forms
from django.core.validators import validate_slug

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label="Arbeitsmappe (.xlsx)",
                           help_text="eine mit kimportal erstellte oder aus der Vorlage ausgefüllte Mappe")
    slug = forms.CharField(label="Kürzel (neu)", required=False, max_length=60, validators=[validate_slug],
                           help_text="leer: das Kürzel aus der Tabelle „Kreis“")
    name = forms.CharField(label="Name (neu)", required=False, max_length=120,
                           help_text="leer: der Name aus der Tabelle „Kreis“")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Bitte eine XLSX-Datei (.xlsx) hochladen.")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Die Datei ist größer als 10 MB.")
        return upload
