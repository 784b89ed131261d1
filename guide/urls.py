from django.urls import path

from . import offer_views, views

app_name = "guide"

urlpatterns = [
    path("offer-check/", offer_views.OfferCheckView.as_view(), name="offer_check"),
    path("about/data/", views.AboutDataView.as_view(), name="about_data"),
]
