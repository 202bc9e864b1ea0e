"""Who must use a second factor, and the session keys the account middleware keeps."""
from django_otp import user_has_device

from kimportal.roles import ADMINISTRATION

# Seconds since the epoch of the session's last request (accounts.middleware.IdleTimeoutMiddleware).
LAST_ACTIVITY_KEY = "kimportal_last_activity"
# What the session still owes for the second factor, decided at login so ordinary pages need no query.
SECOND_FACTOR_KEY = "kimportal_second_factor"
VERIFY, SET_UP, NOT_NEEDED = "verify", "setup", "none"


def requires_two_factor(user) -> bool:
    """Administrators (superusers, staff, members of the Administration group) must log in with TOTP."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.is_staff or user.groups.filter(name=ADMINISTRATION).exists()


def second_factor_state(user) -> str:
    """VERIFY for a user with a confirmed device, SET_UP for an administrator without one, else NOT_NEEDED."""
    if user_has_device(user, confirmed=True):
        return VERIFY
    if requires_two_factor(user):
        return SET_UP
    return NOT_NEEDED


def client_address(request) -> str | None:
    """The client's address for django-axes' lockout count.

    Behind the reverse proxy (DJANGO_BEHIND_PROXY=1) every request comes from the proxy's address; the proxy
    appends the real client to X-Forwarded-For, so its right-most entry is the one a client cannot forge.
    """
    from django.conf import settings

    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if getattr(settings, "BEHIND_PROXY", False) and forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")
