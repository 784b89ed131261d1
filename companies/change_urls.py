from django.urls import path

from . import change_views as views

app_name = "changes"

urlpatterns = [
    path("", views.ChangeListView.as_view(), name="change_list"),
    path("feed/", views.ChangeFeed(), name="change_feed"),
]
