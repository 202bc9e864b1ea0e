from django.urls import path

from drawdowns import views

app_name = "drawdowns"

urlpatterns = [
    path("", views.DrawdownOverviewView.as_view(), name="overview"),
    path("bescheid/<int:decision_pk>/", views.DecisionDrawdownsView.as_view(), name="decision"),
    path("bescheid/<int:decision_pk>/neu/", views.DrawdownCreateView.as_view(), name="create"),
    path("<int:pk>/bearbeiten/", views.DrawdownEditView.as_view(), name="edit"),
    path("<int:pk>/loeschen/", views.DrawdownDeleteView.as_view(), name="delete"),
]
