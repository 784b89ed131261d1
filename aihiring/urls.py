from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "AI Hiring Guide — editors"
admin.site.site_title = "AI Hiring Guide admin"
admin.site.index_title = "Curate the guide"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("companies/", include("companies.urls")),
    path("changes/", include("companies.change_urls")),
    path("alerts/", include("companies.alert_urls")),
    path("", include("market.urls")),
    path("advice/", include("advice.urls")),
    path("bookmarks/", include("companies.bookmark_urls")),
    path("accounts/", include("accounts.urls")),
    path("api/", include("aihiring.api")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
