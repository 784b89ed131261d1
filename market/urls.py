from django.urls import path

from . import views

app_name = "market"

urlpatterns = [
    path("salaries/", views.SalaryView.as_view(), name="salaries"),
    path("market/", views.MarketView.as_view(), name="market"),
]
