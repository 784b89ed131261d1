"""``/sitemap.xml``: the guide's public pages, every earlier published edition, every published profile and advice
section, and every open role."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from advice.models import AdviceSection
from companies.models import Company
from jobs.models import Posting
from market.models import Edition


class PageSitemap(Sitemap):
    """The guide's fixed pages."""

    changefreq = "weekly"

    def items(self):
        return [
            ("home", 1.0),
            ("companies:company_list", 0.8),
            ("jobs:posting_list", 0.8),
            ("market:salaries", 0.8),
            ("market:market", 0.8),
            ("guide:offer_check", 0.7),
            ("advice:section_list", 0.7),
            ("changes:change_list", 0.5),
            ("guide:about_data", 0.4),
        ]

    def location(self, item):
        return reverse(item[0])

    def priority(self, item):
        return item[1]


class EditionSitemap(Sitemap):
    """Earlier published editions' pages (the salary benchmarks of each); the current one is the fixed pages."""

    changefreq = "yearly"
    priority = 0.4

    def items(self):
        return Edition.objects.published().filter(is_current=False).only("slug", "updated_at")

    def lastmod(self, edition):
        return edition.updated_at


class CompanySitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Company.objects.published().order_by("name").only("slug", "updated_at")

    def lastmod(self, company):
        return company.updated_at


class AdviceSectionSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return AdviceSection.objects.published().order_by("position", "id").only("slug", "updated_at")

    def lastmod(self, section):
        return section.updated_at


class PostingSitemap(Sitemap):
    """Open roles of published companies; Django's sitemap pages them 50,000 to a file."""

    changefreq = "daily"
    priority = 0.5

    def items(self):
        return Posting.objects.open().filter(company__is_published=True).order_by("-posted_at", "-id").only("posted_at")

    def lastmod(self, posting):
        return posting.posted_at


SITEMAPS = {
    "pages": PageSitemap,
    "editions": EditionSitemap,
    "companies": CompanySitemap,
    "advice": AdviceSectionSitemap,
    "jobs": PostingSitemap,
}
