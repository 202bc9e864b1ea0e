from django.urls import path

from rollover import views

app_name = "rollover"

urlpatterns = [
    path("", views.RolloverView.as_view(), name="rollover"),
]
