from django.urls import path

from . import views

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
]
