from django.urls import path

from . import views

app_name = "companies"

urlpatterns = [
    path("", views.CompanyListView.as_view(), name="company_list"),
    path("compare/", views.CompanyCompareView.as_view(), name="company_compare"),
    path("<slug:slug>/", views.CompanyDetailView.as_view(), name="company_detail"),
]
