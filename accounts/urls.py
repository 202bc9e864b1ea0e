from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("passwort/", views.PasswordChangeView.as_view(), name="password_change"),
    # The one-time link for a user without a password (workbook.passwords); reachable without login.
    path("passwort-festlegen/<uidb64>/<token>/", views.PasswordSetView.as_view(), name="password_set"),
    path("zwei-faktor/einrichten/", views.two_factor_setup, name="two_factor_setup"),
    path("zwei-faktor/code/", views.two_factor_verify, name="two_factor_verify"),
]
