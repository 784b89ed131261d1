from django.urls import path

from . import views

app_name = "bookmarks"

urlpatterns = [
    path("", views.BookmarkListView.as_view(), name="bookmark_list"),
    path("export.csv", views.BookmarkExportView.as_view(), name="bookmark_export"),
    path("companies/<slug:slug>/", views.BookmarkSetView.as_view(), name="bookmark_set"),
    path("<int:pk>/", views.BookmarkUpdateView.as_view(), name="bookmark_update"),
]
