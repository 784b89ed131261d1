from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from . import views
from .feeds import GuideFeed
from .sitemaps import SITEMAPS

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
    path("search/", views.SearchView.as_view(), name="search"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("feed/", GuideFeed(), name="feed"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler404 = "aihiring.views.page_not_found"
handler500 = "aihiring.views.server_error"
