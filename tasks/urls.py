from django.urls import path

from . import views

app_name = "tasks"

urlpatterns = [
    path("", views.TaskRunListView.as_view(), name="taskrun_list"),
    path("<int:pk>/", views.TaskRunDetailView.as_view(), name="taskrun_detail"),
    path("<int:pk>/datei/", views.TaskRunDownloadView.as_view(), name="taskrun_download"),
    path("bericht/<slug:slug>/", views.ReportPdfStartView.as_view(), name="report_pdf_start"),
]
