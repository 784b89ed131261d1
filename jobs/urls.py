from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.PostingListView.as_view(), name="posting_list"),
    path("<int:pk>/", views.PostingDetailView.as_view(), name="posting_detail"),
]
