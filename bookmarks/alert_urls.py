from django.urls import path

from . import alert_views as views

app_name = "alerts"

urlpatterns = [
    path("", views.AlertSettingsView.as_view(), name="alert_settings"),
    path("bookmarks/<int:pk>/", views.AlertSetView.as_view(), name="alert_set"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
