from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="report_list"),
    path("ausgegeben/", views.IssuedReportListView.as_view(), name="issuedreport_list"),
    path("ausgegeben/<int:pk>/", views.IssuedReportDetailView.as_view(), name="issuedreport_detail"),
    path("ausgegeben/<int:pk>/pdf/", views.IssuedReportPdfView.as_view(), name="issuedreport_pdf"),
    path("<slug:slug>/", views.ReportPaperView.as_view(), name="report_preview"),
    path("<slug:slug>/pdf/", views.ReportPaperView.as_view(as_pdf=True), name="report_pdf"),
    path("<slug:slug>/xlsx/", views.ReportPaperView.as_view(as_xlsx=True), name="report_xlsx"),
    path("<slug:slug>/texte/", views.ReportSetupUpdateView.as_view(), name="setup_edit"),
    path("<slug:slug>/ausgeben/", views.IssuedReportCreateView.as_view(), name="issuedreport_create"),
]
