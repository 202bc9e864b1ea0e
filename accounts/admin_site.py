"""The admin site: only for staff who passed the second factor; one login page for the whole application."""
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect, resolve_url


class KimportalAdminSite(admin.AdminSite):
    """Django's admin site with the check django_otp.admin.OTPAdminSite makes: staff *and* a verified device.

    accounts.middleware.TwoFactorMiddleware already sends unverified administrators to the code or set-up page;
    this is the second wall, should the middleware ever be left out.
    """

    def has_permission(self, request):
        """Active staff whose session passed the second factor."""
        return super().has_permission(request) and request.user.is_verified()

    def login(self, request, extra_context=None):
        """Anonymous visitors log in on the application's login page (throttled, with the code step)."""
        if request.user.is_authenticated:
            return super().login(request, extra_context)
        return redirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}")
