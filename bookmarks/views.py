"""The signed-in user's bookmarks: the save/remove button, the bookmarks page, note and stage, CSV export."""

import csv
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Max, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.generic import UpdateView, View
from django_filters.views import BaseFilterView, FilterView
from django_htmx.http import HttpResponseClientRedirect

from companies.models import Company
from core.spreadsheets import csv_cell

from .filters import BookmarkFilter
from .forms import BookmarkForm, BookmarkSetForm
from .intent import pending_bookmark_remember
from .models import Bookmark, BookmarkStage
from .services import bookmark_set, bookmark_update, bookmarks_recently_removed

CARD_TEMPLATE = "bookmarks/bookmark_list.html#bookmark_card"
REMOVED_TEMPLATE = "bookmarks/bookmark_list.html#bookmark_removed"
BUTTON_TEMPLATE = "bookmarks/includes/_bookmark_button.html#bookmark_button"


def safe_next(request, url, default):
    """``url`` when it is a path on this site, else ``default``: never another host, never a bare word."""
    allowed = {request.get_host()}
    if (
        url
        and url.startswith("/")
        and url_has_allowed_host_and_scheme(url, allowed_hosts=allowed, require_https=request.is_secure())
    ):
        return url
    return default


def back_to_button(url, company):
    """``url`` with the anchor of ``company``'s Save button (``save-<slug>``; on the bookmarks page, its Restore
    button), so a page reloaded without JavaScript opens where the reader pressed it, not at the top of a long list;
    a ``url`` that names an anchor of its own keeps it."""
    return url if "#" in url else f"{url}#save-{company.slug}"


def bookmark_form(bookmark, data=None):
    """The note-and-stage form of one bookmark, with ids unique on a page of many."""
    return BookmarkForm(data, instance=bookmark, auto_id=f"bookmark-{bookmark.pk}-%s")


def render_card(request, bookmark, *, form=None, status="", next_url=""):
    """One bookmark card: its note and stage, or (with ``form``) the form that edits them."""
    bookmark.form = form
    context = {"bookmark": bookmark, "card_status": status, "next_url": next_url}
    return render(request, CARD_TEMPLATE, context)


@method_decorator(never_cache, name="dispatch")
class BookmarkSetView(View):
    """Save or remove one company for the user: POST the wanted state (saved=1 or 0), so repeats are harmless.

    Without JavaScript it redirects back to ``next`` with a message; through htmx it answers with the
    new button (or bookmark card). Anonymous visitors follow the Save link here (GET) or post, and are
    sent to sign in; the bookmark waits in their session until they have. A signed-in GET changes
    nothing: it asks them to press Save.
    """

    http_method_names = ["get", "post", "options"]

    def get(self, request, slug):
        company = self.get_company(slug, saved=True)
        if company is None:
            message = f"There is no company “{slug}” in the guide, so nothing was bookmarked."
            return render(request, "bookmarks/bookmark_error.html", {"message": message}, status=404)
        next_url = safe_next(request, request.GET.get("next", ""), company.get_absolute_url())
        if not request.user.is_authenticated:
            return self.sign_in_first(request, company, next_url)
        company.is_bookmarked = Bookmark.objects.filter(user=request.user, company=company).exists()
        return render(request, "bookmarks/bookmark_confirm.html", {"company": company, "next_url": next_url})

    def sign_in_first(self, request, company, next_url):
        pending_bookmark_remember(request, company)
        login_url = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': back_to_button(next_url, company)})}"
        return HttpResponseClientRedirect(login_url) if request.htmx else redirect(login_url)

    def post(self, request, slug):
        form = BookmarkSetForm(request.POST)
        if not form.is_valid():
            message = " ".join(error for errors in form.errors.values() for error in errors)
            return render(request, "bookmarks/bookmark_error.html", {"message": message}, status=400)
        saved = form.cleaned_data["saved"]
        company = self.get_company(slug, saved)
        if company is None:
            message = f"There is no company “{slug}” in the guide, so nothing was bookmarked."
            return render(request, "bookmarks/bookmark_error.html", {"message": message}, status=404)
        next_url = safe_next(request, form.cleaned_data["next"], company.get_absolute_url())

        if not request.user.is_authenticated:
            if saved:
                return self.sign_in_first(request, company, next_url)
            login_url = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_url})}"
            return HttpResponseClientRedirect(login_url) if request.htmx else redirect(login_url)

        bookmark = bookmark_set(user=request.user, company=company, saved=saved)
        status = (
            f"{company.name} is saved in your bookmarks."
            if saved
            else f"{company.name} is removed from your bookmarks. Its note and stage are kept: restore it under "
            "“Recently removed” on your bookmarks page, or save it again."
        )
        if not request.htmx:
            messages.success(request, status)
            return HttpResponseRedirect(back_to_button(next_url, company))
        if form.cleaned_data["fragment"] == "card":
            if bookmark is None:
                return render(request, REMOVED_TEMPLATE, {"company": company, "next_url": next_url})
            return render_card(request, bookmark, status="Saved again.", next_url=next_url)
        company.is_bookmarked = saved
        return render(request, BUTTON_TEMPLATE, {"company": company, "status": status, "next_url": next_url})

    def get_company(self, slug, saved):
        """Only published companies can be saved; a bookmark can be removed even after its company was unpublished."""
        companies = Company.objects.select_related("category", "edition")
        if saved or not self.request.user.is_authenticated:
            companies = companies.published()
        else:
            companies = companies.filter(Q(is_published=True) | Q(bookmarks__user=self.request.user)).distinct()
        return companies.filter(slug=slug).first()


@method_decorator(never_cache, name="dispatch")
class OwnBookmarksMixin(LoginRequiredMixin):
    """Only the signed-in user's own bookmarks: any other id is a 404. Private pages, never cached."""

    def get_queryset(self):
        return Bookmark.objects.for_user(self.request.user).order_by("-created_at", "-pk")

    def handle_no_permission(self):
        if self.request.htmx:
            # A signed-out htmx request would swap the sign-in page into a card: send the whole page there.
            next_url = reverse("bookmarks:bookmark_list")
            return HttpResponseClientRedirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_url})}")
        return super().handle_no_permission()


class BookmarkListView(OwnBookmarksMixin, FilterView):
    """The user's bookmarks with category, pay and last-verified date; note and stage editable per bookmark."""

    filterset_class = BookmarkFilter
    strict = False
    paginate_by = 25
    template_name = "bookmarks/bookmark_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            query_string=query.urlencode(),
            next_url=self.request.get_full_path(),
            export_url=f"{reverse('bookmarks:bookmark_export')}?{query.urlencode()}".rstrip("?"),
        )
        return context

    # The template keeps the page in a {% cache %} fragment of this user's, keyed by ``version``, and reads the
    # properties below inside it, so a hit computes none of them.

    @cached_property
    def version(self):
        """How many bookmarks the user has (removed ones too) and when the latest changed (1 query).

        Every change to a bookmark (save, remove, restore, note, stage, alerts) sets its ``updated_at``, so a
        change of any one shows at once; a content change empties the page cache as for every page.
        """
        latest = Bookmark.all_objects.filter(user=self.request.user).aggregate(n=Count("pk"), at=Max("updated_at"))
        return f"{latest['n']}-{latest['at'].timestamp() if latest['at'] else 0}"

    @cached_property
    def stage_counts(self):
        return dict(
            Bookmark.objects.filter(user=self.request.user)
            .order_by()
            .values("stage")
            .annotate(n=Count("pk"))
            .values_list("stage", "n")
        )

    @cached_property
    def total(self):
        return sum(self.stage_counts.values())

    @cached_property
    def filter_form(self):
        """The stage and ordering form, each stage with its count."""
        form = self.filterset.form
        form.fields["stage"].choices = [("", f"All stages ({self.total})")] + [
            (value, f"{label} ({self.stage_counts.get(value, 0)})") for value, label in BookmarkStage.choices
        ]
        return form

    @cached_property
    def recently_removed(self):
        return list(bookmarks_recently_removed(user=self.request.user))


class BookmarkUpdateView(OwnBookmarksMixin, UpdateView):
    """Change one bookmark's note and stage; through htmx it answers with the updated card."""

    form_class = BookmarkForm
    template_name = "bookmarks/bookmark_form.html"
    context_object_name = "bookmark"

    def get_form(self, form_class=None):
        return bookmark_form(self.object, self.request.POST if self.request.method == "POST" else None)

    def get_next_url(self):
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        return safe_next(self.request, data.get("next", ""), reverse("bookmarks:bookmark_list"))

    def get(self, request, *args, **kwargs):
        """The edit page; through htmx, the card itself: with the form (``?edit=1``) or without (Cancel)."""
        if not request.htmx:
            return super().get(request, *args, **kwargs)
        self.object = self.get_object()
        form = self.get_form() if request.GET.get("edit") else None
        return render_card(request, self.object, form=form, next_url=self.get_next_url())

    def get_context_data(self, **kwargs):
        kwargs.setdefault("next_url", self.get_next_url())
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        bookmark = bookmark_update(
            bookmark=self.object, note=form.cleaned_data["note"], stage=form.cleaned_data["stage"]
        )
        if self.request.htmx:
            return render_card(self.request, bookmark, status="Saved.", next_url=self.get_next_url())
        messages.success(self.request, f"Your note and stage for {bookmark.company.name} are saved.")
        return HttpResponseRedirect(self.get_next_url())

    def form_invalid(self, form):
        if self.request.htmx:
            return render_card(self.request, self.object, form=form, next_url=self.get_next_url())
        return self.render_to_response(self.get_context_data(form=form, next_url=self.get_next_url()))


class BookmarkExportView(OwnBookmarksMixin, BaseFilterView):
    """The user's bookmarks (with the page's stage filter and sort) as a CSV attachment."""

    filterset_class = BookmarkFilter
    strict = False
    columns = ("Company", "Category", "Pay", "Stage", "Note", "Saved on", "Last verified", "Profile")

    def render_to_response(self, context):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="bookmarks.csv"'
        response.write("\ufeff")  # a byte order mark, so spreadsheet programs read UTF-8
        writer = csv.writer(response)
        writer.writerow(self.columns)
        for bookmark in context["object_list"]:
            company = bookmark.company
            row = (
                company.name,
                company.category.name if company.category else "",
                company.comp_text,
                bookmark.get_stage_display(),
                bookmark.note,
                timezone.localdate(bookmark.created_at).isoformat(),
                company.last_verified.isoformat(),
                self.request.build_absolute_uri(company.get_absolute_url()),
            )
            writer.writerow([csv_cell(value) for value in row])
        return response
