from django.urls import path

from provisions import views

app_name = "provisions"

urlpatterns = [
    path("", views.LimitsView.as_view(), name="limits"),
    path("bearbeiten/", views.LimitsEditView.as_view(), name="limits_edit"),
]
