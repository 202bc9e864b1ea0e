from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "kimportal – Verwaltung"
admin.site.site_title = "kimportal"
admin.site.index_title = "Stammdaten, Programme, Stellen und Haushalt"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(url="/admin/", permanent=False), name="home"),
]
