"""Account pages: overview, password change, TOTP set-up and the code step of the login."""
import base64
from urllib.parse import quote

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import TokenForm
from .policy import NOT_NEEDED, SECOND_FACTOR_KEY, requires_two_factor

ISSUER = "kimportal"
LOCKOUT_MESSAGE = ("Die Anmeldung ist nach zu vielen fehlgeschlagenen Versuchen vorübergehend gesperrt. "
                   "Bitte versuchen Sie es in {minutes} Minuten erneut oder wenden Sie sich an die Administration.")


def lockout(request, original_response=None, credentials=None):
    """django-axes' answer to a locked login: the login page again, status 429, with a German message.

    Axes counts attempts per user name and address whether the user exists or not, so this page says nothing
    about the account: an unknown name is locked after as many attempts, with exactly the same page.
    """
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = AuthenticationForm(request, initial={"username": (credentials or {}).get("username", "")})
    context = {"form": form, "lockout_message": LOCKOUT_MESSAGE.format(minutes=minutes),
               "next": safe_next(request, default="")}
    response = render(request, "registration/login.html", context, status=429)
    add_never_cache_headers(response)  # as Django's LoginView, whose page this stands in for
    return response


def safe_next(request, default=None):
    """The ``next`` parameter if it stays on this site, else ``default`` (the start page)."""
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL) if default is None else default


@login_required
def account(request):
    """The user's account: password change and the state of the second factor."""
    devices = list(devices_for_user(request.user, confirmed=True))
    return render(request, "accounts/account.html", {
        "devices": devices, "two_factor_required": requires_two_factor(request.user)})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change (old password, the password validators), in the application's layout."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        """Save the new password, keep the session (and its second factor) and say so."""
        response = super().form_valid(form)
        messages.success(self.request, "Ihr Passwort wurde geändert.")
        return response


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """"Passwort festlegen": a new user (created by the county workbook's import, without a password) sets one
    through the one-time link the administrator got (workbook.passwords); Django's password-reset confirmation
    with its validators, then the login page. An old, used or altered link shows that it is invalid."""

    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Ihr Passwort ist festgelegt. Bitte melden Sie sich jetzt an.")
        return response


@login_required
def two_factor_verify(request):
    """The login's second step: the code from the authenticator app."""
    if request.user.is_verified():
        return redirect(safe_next(request))
    devices = list(devices_for_user(request.user, confirmed=True))
    if not devices:
        # The device was deleted meanwhile (by an administrator): decide again what the session owes.
        request.session.pop(SECOND_FACTOR_KEY, None)
        return redirect(safe_next(request))
    form = TokenForm(request.POST or None, devices=devices)
    if request.method == "POST" and form.is_valid():
        django_otp.login(request, form.device)
        request.session[SECOND_FACTOR_KEY] = NOT_NEEDED
        return redirect(safe_next(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": safe_next(request, "")})


@login_required
def two_factor_setup(request):
    """Set up an authenticator app: scan the QR code (or type the key), confirm with a code."""
    user = request.user
    if list(devices_for_user(user, confirmed=True)):
        if not user.is_verified():
            # Whoever knows only the password must not add a device of their own.
            return redirect(f"{reverse('accounts:two_factor_verify')}?{request.GET.urlencode()}")
        messages.info(request, "Die Zwei-Faktor-Anmeldung ist bereits eingerichtet.")
        return redirect("accounts:account")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator-App", confirmed=False)
    form = TokenForm(request.POST or None, devices=[device])
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        django_otp.login(request, device)
        request.session[SECOND_FACTOR_KEY] = NOT_NEEDED
        messages.success(request, "Die Zwei-Faktor-Anmeldung ist eingerichtet. Ab jetzt fragt kimportal bei jeder "
                                  "Anmeldung nach dem Code aus Ihrer Authenticator-App.")
        return redirect(safe_next(request, default=reverse("accounts:account")))
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "next": safe_next(request, ""), "required": requires_two_factor(user),
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "qr_svg": qr_svg(provisioning_uri(device, secret)),
    })


def provisioning_uri(device, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    label = quote(f"{ISSUER}:{device.user.get_username()}")
    return (f"otpauth://totp/{label}?secret={secret}&issuer={ISSUER}&digits={device.digits}"
            f"&period={device.step}&algorithm=SHA1")


def qr_svg(data: str):
    """The QR code as inline SVG markup (no data: URL and no inline style, so it passes the CSP)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage)
    return mark_safe(image.to_string(encoding="unicode"))
