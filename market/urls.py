from django.urls import path

from . import offer_views, views

app_name = "market"

urlpatterns = [
    path("salaries/", views.SalaryView.as_view(), name="salaries"),
    path("market/", views.MarketView.as_view(), name="market"),
    path("offer-check/", offer_views.OfferCheckView.as_view(), name="offer_check"),
]
