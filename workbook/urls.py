from django.urls import path

from . import views

app_name = "workbook"

urlpatterns = [
    path("", views.WorkbookView.as_view(), name="workbook"),
    path("bestaetigen/", views.WorkbookConfirmView.as_view(), name="confirm"),
    path("verwerfen/", views.WorkbookCancelView.as_view(), name="cancel"),
    path("vorlage.xlsx", views.TemplateDownloadView.as_view(), name="template"),
    path("export/<slug:slug>.xlsx", views.CountyExportView.as_view(), name="export"),
]
