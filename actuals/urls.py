from django.urls import path

from . import vacancy_views, views

app_name = "actuals"

urlpatterns = [
    path("", views.ImportListView.as_view(), name="import_list"),
    path("einlesen/", views.UploadView.as_view(), name="upload"),
    path("einlesen/zuordnen/", views.MappingView.as_view(), name="mapping"),
    path("einlesen/bestaetigen/", views.ConfirmView.as_view(), name="confirm"),
    path("einlesen/verwerfen/", views.CancelView.as_view(), name="cancel"),
    path("importe/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("importe/<int:pk>/rueckgaengig/", views.ImportUndoView.as_view(), name="import_undo"),
    path("stellen/<int:pk>/", views.PositionActualsView.as_view(), name="position_actuals"),
    path("stellen/<int:position_pk>/vakanzen/neu/", vacancy_views.VacancyCreateView.as_view(), name="vacancy_create"),
    path("vakanzen/<int:pk>/bearbeiten/", vacancy_views.VacancyEditView.as_view(), name="vacancy_edit"),
    path("vakanzen/<int:pk>/loeschen/", vacancy_views.VacancyDeleteView.as_view(), name="vacancy_delete"),
]
