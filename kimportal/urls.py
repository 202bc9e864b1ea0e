from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from reports.dashboard_views import DashboardView

admin.site.site_header = "kimportal – Verwaltung"
admin.site.site_title = "kimportal"
admin.site.index_title = "Stammdaten, Programme, Stellen und Haushalt"

urlpatterns = [
    path("", DashboardView.as_view(), name="home"),
    path("anmelden/", auth_views.LoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("programme/", include("programmes.urls")),
    path("stellen/", include("staffing.urls")),
    path("haushalt/", include("budgeting.urls")),
    path("berichte/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
