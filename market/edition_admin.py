"""The editions workflow in the admin: "Start the next edition" and "Publish edition"."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .models import Edition, MarketSnapshot, SalaryBenchmark, Specialization, Trend
from .services import (
    edition_next_defaults,
    edition_publish,
    edition_stale_figures,
    edition_stale_texts,
    edition_start_next,
)


class EditionStartForm(forms.Form):
    name = forms.CharField(max_length=60, help_text="As readers see it, e.g. Q2 2026.")
    slug = forms.SlugField(help_text="Used in addresses, e.g. 2026-q2. It cannot be one an edition already uses.")
    published_on = forms.DateField(
        label="Publication date",
        help_text="The day the edition goes public, after the current edition's date. Format: 2026-04-30.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Edition.objects.filter(slug=slug).exists():
            raise ValidationError("An edition already uses this slug; choose another, e.g. 2026-q2.")
        return slug


class EditionWorkflowAdmin(admin.ModelAdmin):
    """Adds the two steps of a quarter to the edition admin; publishing happens only through them."""

    change_list_template = "admin/market/edition/change_list.html"
    change_form_template = "admin/market/edition/change_form.html"
    actions = ["publish_selected"]

    def get_readonly_fields(self, request, obj=None):
        # Publishing switches the current edition in one transaction; a ticked box could not.
        return [*super().get_readonly_fields(request, obj), "is_published", "is_current", "published_at"]

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "start-next/",
                self.admin_site.admin_view(self.start_next_view),
                name="{}_{}_start_next".format(*info),
            ),
            path(
                "<int:object_id>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="{}_{}_publish".format(*info),
            ),
            *super().get_urls(),
        ]

    def start_next_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        current = Edition.objects.current()
        form = EditionStartForm(request.POST or None, initial=edition_next_defaults(current))
        if request.method == "POST" and form.is_valid():
            try:
                edition = edition_start_next(**form.cleaned_data)
            except ValidationError as error:
                _add_form_errors(form, error)
            else:
                self.message_user(request, _started_message(edition, current), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:market_edition_change", args=[edition.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Start the next edition",
            "form": form,
            "current": current,
        }
        return TemplateResponse(request, "admin/market/edition/start_next.html", context)

    def publish_view(self, request, object_id):
        edition = get_object_or_404(Edition, pk=object_id)
        if not self.has_change_permission(request, edition):
            raise PermissionDenied
        if request.method == "POST":
            self._publish(request, edition)
            return HttpResponseRedirect(reverse("admin:market_edition_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Publish {edition.name}",
            "edition": edition,
            "current": Edition.objects.current(),
            "figures": _figure_counts(edition),
            "stale": edition_stale_figures(edition),
            "stale_texts": [
                {**item, "url": reverse(admin_urlname(item["row"]._meta, "change"), args=[item["row"].pk])}
                for item in edition_stale_texts(edition)
            ],
        }
        return TemplateResponse(request, "admin/market/edition/publish.html", context)

    @admin.action(description="Publish the selected edition and make it current", permissions=["change"])
    def publish_selected(self, request, queryset):
        editions = list(queryset[:2])
        if len(editions) != 1:
            self.message_user(request, "Select exactly one edition to publish.", messages.ERROR)
            return
        self._publish(request, editions[0])

    def _publish(self, request, edition):
        previous = Edition.objects.current()
        try:
            edition = edition_publish(edition=edition)
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, f"Not published: {message}", messages.ERROR)
            return
        text = f"{edition.name} is published and is now the current edition."
        if previous and previous != edition:
            text += f" {previous.name} stays published at {previous.get_absolute_url()}."
        self.message_user(request, text, messages.SUCCESS)


def _figure_counts(edition):
    """The edition's figures by kind (singular name: count)."""
    return {
        "salary benchmark": SalaryBenchmark.objects.filter(edition=edition).count(),
        "market snapshot": MarketSnapshot.objects.filter(edition=edition).count(),
        "trend": Trend.objects.filter(edition=edition).count(),
        "specialization": Specialization.objects.filter(edition=edition).count(),
    }


def _started_message(edition, source):
    counts = ", ".join(f"{count} {name}{pluralize(count)}" for name, count in _figure_counts(edition).items())
    return (
        f"Started {edition.name} as a draft with copies of {source.name}'s figures ({counts}). "
        "Update each figure and its “last verified” date, then publish the edition."
    )


def _add_form_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
