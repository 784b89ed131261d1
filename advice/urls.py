from django.urls import path

from . import views

app_name = "advice"

urlpatterns = [
    path("", views.AdviceSectionListView.as_view(), name="section_list"),
    path("<slug:slug>/", views.AdviceSectionDetailView.as_view(), name="section_detail"),
]
