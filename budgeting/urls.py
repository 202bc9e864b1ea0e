from django.urls import path

from budgeting import views

app_name = "budgeting"

urlpatterns = [
    path("eigenanteile/", views.CalculationView.as_view(), name="calculation"),
    path("eigenanteile/betrag-laut-vorlage/", views.StatedFigureCreateView.as_view(), name="statedfigure_create"),
    path("deckungsmittel/", views.CoverageListView.as_view(), name="coverage_list"),
    path("deckungsmittel/neu/", views.CoverageCreateView.as_view(), name="coverage_create"),
    path("deckungsmittel/<int:pk>/", views.CoverageDetailView.as_view(), name="coverage_detail"),
    path("deckungsmittel/<int:pk>/bearbeiten/", views.CoverageEditView.as_view(), name="coverage_edit"),
    path("ansaetze/", views.AppropriationListView.as_view(), name="appropriation_list"),
    path("ansaetze/neu/", views.AppropriationCreateView.as_view(), name="appropriation_create"),
    path("ansaetze/<int:pk>/bearbeiten/", views.AppropriationEditView.as_view(), name="appropriation_edit"),
    path("szenarien/", views.ScenarioListView.as_view(), name="scenario_list"),
    path("szenarien/neu/", views.ScenarioCreateView.as_view(), name="scenario_create"),
    path("szenarien/<int:pk>/", views.ScenarioDetailView.as_view(), name="scenario_detail"),
    path("szenarien/<int:pk>/bearbeiten/", views.ScenarioEditView.as_view(), name="scenario_edit"),
    path("szenarien/<int:pk>/loeschen/", views.ScenarioDeleteView.as_view(), name="scenario_delete"),
    path("fristen/", views.DeadlineListView.as_view(), name="deadlines"),
]
