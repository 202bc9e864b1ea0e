from django.urls import path

from proofs import views

app_name = "proofs"

urlpatterns = [
    path("", views.ProofOverviewView.as_view(), name="overview"),
    path("bescheid/<int:decision_pk>/<int:year>/", views.DecisionProofView.as_view(), name="decision"),
    path("bescheid/<int:decision_pk>/<int:year>/bearbeiten/", views.DecisionProofEditView.as_view(),
         name="decision_edit"),
    path("deckungsmittel/<int:source_pk>/", views.SourceProofView.as_view(), name="source"),
    path("deckungsmittel/<int:source_pk>/bearbeiten/", views.SourceProofEditView.as_view(), name="source_edit"),
    path("weiterleitung/<int:pass_through_pk>/bearbeiten/", views.RecipientProofEditView.as_view(),
         name="recipient_edit"),
]
