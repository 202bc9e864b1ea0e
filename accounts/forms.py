"""The code form of the second factor, for logging in and for confirming a new authenticator app."""
from django import forms
from django.core.exceptions import ValidationError


class TokenForm(forms.Form):
    """Six digits from the authenticator app, checked against the given TOTP devices (with django-otp's throttle)."""

    code = forms.CharField(
        label="Code aus der Authenticator-App", max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8,
                                      "autofocus": True}),
    )

    def __init__(self, *args, devices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.devices = list(devices)
        self.device = None

    def clean_code(self):
        """Accept the code if one of the devices does; each failure lengthens that device's waiting time."""
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit():
            raise ValidationError("Bitte geben Sie den sechsstelligen Code aus Ihrer Authenticator-App ein.")
        for device in self.devices:
            allowed, _ = device.verify_is_allowed()
            if not allowed:
                raise ValidationError("Zu viele falsche Codes. Bitte warten Sie einen Moment und versuchen Sie es "
                                      "dann erneut.")
            if device.verify_token(code):
                self.device = device
                return code
        raise ValidationError("Der Code ist falsch oder abgelaufen. Bitte geben Sie den aktuellen Code ein.")
