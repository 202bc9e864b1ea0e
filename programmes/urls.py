from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="programme_list"),
    path("neu/", views.ProgrammeCreateView.as_view(), name="programme_create"),
    path("<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme_detail"),
    path("<int:pk>/bearbeiten/", views.ProgrammeUpdateView.as_view(), name="programme_edit"),
    path("<int:pk>/loeschen/", views.ProgrammeDeleteView.as_view(), name="programme_delete"),
    path("bescheide/", views.GrantDecisionListView.as_view(), name="grantdecision_list"),
    path("bescheide/neu/", views.GrantDecisionCreateView.as_view(), name="grantdecision_create"),
    path("bescheide/<int:pk>/", views.GrantDecisionDetailView.as_view(), name="grantdecision_detail"),
    path("bescheide/<int:pk>/bearbeiten/", views.GrantDecisionUpdateView.as_view(), name="grantdecision_edit"),
    path("bescheide/<int:pk>/loeschen/", views.GrantDecisionDeleteView.as_view(), name="grantdecision_delete"),
    path("antraege/neu/", views.ApplicationCreateView.as_view(), name="application_create"),
    path("antraege/<int:pk>/", views.ApplicationDetailView.as_view(), name="application_detail"),
    path("antraege/<int:pk>/bearbeiten/", views.ApplicationUpdateView.as_view(), name="application_edit"),
    path("antraege/<int:pk>/loeschen/", views.ApplicationDeleteView.as_view(), name="application_delete"),
    path("antraege/<int:pk>/schritte/neu/", views.ApplicationStepCreateView.as_view(), name="applicationstep_create"),
    path("ziele/", views.FocusGoalListView.as_view(), name="focusgoal_list"),
    path("ziele/neu/", views.FocusGoalCreateView.as_view(), name="focusgoal_create"),
    path("ziele/<int:pk>/", views.FocusGoalDetailView.as_view(), name="focusgoal_detail"),
    path("ziele/<int:pk>/bearbeiten/", views.FocusGoalUpdateView.as_view(), name="focusgoal_edit"),
    path("ziele/<int:pk>/loeschen/", views.FocusGoalDeleteView.as_view(), name="focusgoal_delete"),
]
