from django.urls import path

from . import partner_views, views

app_name = "staffing"

urlpatterns = [
    path("", views.PositionListView.as_view(), name="position_list"),
    path("neu/", views.PositionCreateView.as_view(), name="position_create"),
    path("<int:pk>/", views.PositionDetailView.as_view(), name="position_detail"),
    path("<int:pk>/bearbeiten/", views.PositionUpdateView.as_view(), name="position_edit"),
    path("<int:pk>/loeschen/", views.PositionDeleteView.as_view(), name="position_delete"),
    path("cm-einsatz/", views.AllocationListView.as_view(), name="allocation_list"),
    path("cm-einsatz/<int:pk>/", views.AllocationDetailView.as_view(), name="allocation_detail"),
    path("partner/", partner_views.PartnerListView.as_view(), name="partner_list"),
    path("partner/neu/", partner_views.PartnerCreateView.as_view(), name="partner_create"),
    path("partner/<int:pk>/", partner_views.PartnerDetailView.as_view(), name="partner_detail"),
    path("partner/<int:pk>/bearbeiten/", partner_views.PartnerUpdateView.as_view(), name="partner_edit"),
]
