"""Session rules of BSI IT-Grundschutz CON.10 / OWASP ASVS level 2: idle timeout, second factor, no caching."""
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import DatabaseError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from .policy import LAST_ACTIVITY_KEY, NOT_NEEDED, SECOND_FACTOR_KEY, SET_UP, VERIFY, second_factor_state

# The activity stamp is written at most once a minute, so a page view rarely costs a session write.
TOUCH_SECONDS = 60


def logged_in_user(request):
    """The logged-in user, or None for an anonymous visitor.

    None also while the database is away: the view then meets the same outage and kimportal.errors answers
    its German 503 (an exception raised here, in a middleware, would be Django's 500 in debug mode).
    """
    try:
        user = request.user
        return user if user.is_authenticated else None
    except DatabaseError:
        return None


class IdleTimeoutMiddleware:
    """Log out a session that saw no request for KIMPORTAL_SESSION_IDLE_MINUTES (30 by default)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if logged_in_user(request) is not None:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - last > settings.SESSION_IDLE_SECONDS:
                logout(request)
                minutes = settings.SESSION_IDLE_SECONDS // 60
                messages.info(request, f"Ihre Sitzung ist nach {minutes} Minuten ohne Aktivität abgelaufen. "
                                       "Bitte melden Sie sich erneut an.")
                return redirect_to_login(request.get_full_path())
            if last is None or now - last >= TOUCH_SECONDS:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """A user with a TOTP device gives the code before any page; an administrator without one sets it up first.

    Until then the session reaches only the code page (or the set-up page), the logout and the health check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = logged_in_user(request)
        if user is not None and not user.is_verified():
            state = request.session.get(SECOND_FACTOR_KEY)
            # Promoted to staff during the session, or a session from before this rule: decide again.
            if state is None or (state == NOT_NEEDED and (user.is_staff or user.is_superuser)):
                try:
                    state = request.session[SECOND_FACTOR_KEY] = second_factor_state(user)
                except DatabaseError:
                    return self.get_response(request)  # the view answers the outage (see logged_in_user)
            target = {VERIFY: "accounts:two_factor_verify", SET_UP: "accounts:two_factor_setup"}.get(state)
            if target is not None and request.path not in self.open_paths(target):
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def open_paths(target):
        """The pages a session may open while it still owes the second factor."""
        return {reverse(target), reverse("logout"), reverse("health")}


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response to a logged-in user: pages, exports, PDFs and the admin.

    Personal data must not stay in the browser cache of a shared office PC or in a proxy. Static files are
    served by WhiteNoise before this middleware and keep their long caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self.logged_in(request):
            add_never_cache_headers(response)
        return response

    @staticmethod
    def logged_in(request) -> bool:
        """Whether the request came from a logged-in user; when the database cannot tell, assume it did."""
        user = getattr(request, "user", None)
        if user is None:
            return False
        try:
            return user.is_authenticated
        except DatabaseError:
            return True
