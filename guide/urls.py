from django.urls import path

from . import offer_views

app_name = "guide"

urlpatterns = [
    path("offer-check/", offer_views.OfferCheckView.as_view(), name="offer_check"),
]
