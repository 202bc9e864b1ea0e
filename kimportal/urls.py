from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kimportal.errors import health
from reports.dashboard_views import DashboardView

admin.site.site_header = "kimportal – Verwaltung"
admin.site.site_title = "kimportal"
admin.site.index_title = "Stammdaten, Programme, Stellen und Haushalt"

urlpatterns = [
    path("", DashboardView.as_view(), name="home"),
    path("health/", health, name="health"),
    path("anmelden/", auth_views.LoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/", include("accounts.urls")),
    path("programme/", include("programmes.urls")),
    path("stellen/", include("staffing.urls")),
    path("haushalt/", include("budgeting.urls")),
    path("wertgrenzen/", include("provisions.urls")),
    path("berichte/", include("reports.urls")),
    path("mittelabrufe/", include("drawdowns.urls")),
    path("verwendungsnachweise/", include("proofs.urls")),
    path("ist-kosten/", include("actuals.urls")),
    path("fortschreibung/", include("rollover.urls")),
    path("protokoll/", include("audit.urls")),
    path("auftraege/", include("tasks.urls")),
    path("verwaltung/arbeitsmappe/", include("workbook.urls")),
    path("admin/", admin.site.urls),
]

# 403 and 404 are Django's own handlers with templates/403.html and templates/404.html (German, in the layout).
handler500 = "kimportal.errors.server_error"
