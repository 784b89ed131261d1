from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from accounts.forms import AdminSignInForm
from core import views as core_views
from guide import views as guide_views
from guide.feeds import GuideFeed
from guide.sitemaps import SITEMAPS

admin.site.site_header = "AI Hiring Guide — editors"
admin.site.site_title = "AI Hiring Guide admin"
admin.site.index_title = "Curate the guide"
# The editors' dashboard above the apps (guide/templatetags/editor_dashboard.py).
admin.site.index_template = "admin/dashboard_index.html"
admin.site.login_form = AdminSignInForm

urlpatterns = [
    path("", guide_views.HomeView.as_view(), name="home"),
    path("", include("guide.urls")),
    path("companies/", include("companies.urls")),
    path("changes/", include("companies.change_urls")),
    path("alerts/", include("bookmarks.alert_urls")),
    path("", include("market.urls")),
    path("advice/", include("advice.urls")),
    path("jobs/", include("jobs.urls")),
    path("bookmarks/", include("bookmarks.urls")),
    path("accounts/", include("accounts.urls")),
    path("api/", include("aihiring.api")),
    path("search/", guide_views.SearchView.as_view(), name="search"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("feed/", GuideFeed(), name="feed"),
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler400 = "core.views.bad_request"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
