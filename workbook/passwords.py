"""One-time links for the users an import created: they have no usable password until they set one.

Each link is Django's password-reset link (``default_token_generator``, a user id in base 64 and a token) to the
page "Passwort festlegen" (accounts:password_set, Django's PasswordResetConfirmView). The token is bound to the
user's password hash and last login: it works once, and no longer after the password is set or after
``settings.PASSWORD_RESET_TIMEOUT`` seconds (Django's default: three days). The administrator hands each link to
its user; kimportal sends no e-mail.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


@dataclass(frozen=True)
class PasswordLink:
    """``path``: the link without the server's address ("/konto/passwort-festlegen/MTI/c4x…/")."""

    username: str
    path: str


def password_links(new_users: list[tuple[str, int]]) -> list[PasswordLink]:
    """A link for each user (user name, pk) that still has no usable password, in the order given; users that
    set a password meanwhile (or were deleted) get none."""
    users = get_user_model()._default_manager.in_bulk([pk for _, pk in new_users])
    links = []
    for username, pk in new_users:
        user = users.get(pk)
        if user is None or user.has_usable_password():
            continue
        path = reverse("accounts:password_set", kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                                                        "token": default_token_generator.make_token(user)})
        links.append(PasswordLink(username, path))
    return links


def valid_until_text() -> str:
    """"gültig bis 04.12.2026, 14:05 Uhr": when links made now expire (settings.PASSWORD_RESET_TIMEOUT)."""
    until = timezone.localtime(timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT))
    return f"gültig bis {until:%d.%m.%Y, %H:%M} Uhr"
