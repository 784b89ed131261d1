"""Alerts on the site: the settings page, the per-bookmark switch and the one-click unsubscribe link of the emails."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import View

from .alerts import (
    NEW_ROLES_PER_COMPANY,
    alert_preference_set,
    alert_set,
    alerts_unsubscribe,
    preference_of,
    user_from_unsubscribe_token,
)
from .forms import AlertPreferenceForm
from .models import Bookmark, NewRoles
from .views import safe_next

TOGGLE_TEMPLATE = "bookmarks/includes/_alert_toggle.html#alert_toggle"
CHOICES = {"on": True, "off": False}


@method_decorator(never_cache, name="dispatch")
class AlertSettingsView(LoginRequiredMixin, View):
    """``/alerts/``: which companies the user gets alerts about, and which of their new roles, by level."""

    http_method_names = ["get", "post", "options"]
    template_name = "bookmarks/alert_settings.html"

    def get(self, request):
        preference = preference_of(request.user)
        form = AlertPreferenceForm(initial={"new_roles": preference.new_roles, "levels": preference.new_role_levels})
        return self.render(request, form)

    def post(self, request):
        form = AlertPreferenceForm(request.POST)
        if not form.is_valid():
            return self.render(request, form)
        preference = alert_preference_set(
            user=request.user, new_roles=form.cleaned_data["new_roles"], levels=form.cleaned_data["levels"]
        )
        if preference.new_roles == NewRoles.ALL:
            status = "Saved: your daily email lists every new role at the companies you get alerts about."
        elif preference.new_roles == NewRoles.NONE:
            status = "Saved: your daily email lists no new roles, only profile changes and new editions."
        else:
            levels = ", ".join(preference.level_names)
            status = f"Saved: your daily email lists new roles at these levels only: {levels}."
        messages.success(request, status)
        return redirect(reverse("alerts:alert_settings"))

    def render(self, request, form, status=200):
        watched = list(
            Bookmark.objects.filter(user=request.user, is_alert_enabled=True)
            .order_by("company__name")
            .values_list("company__name", flat=True)
        )
        context = {"form": form, "watched": watched, "per_company": NEW_ROLES_PER_COMPANY}
        return render(request, self.template_name, context, status=status)


class AlertSetView(LoginRequiredMixin, View):
    """POST ``alerts=on`` or ``alerts=off`` for one of the user's bookmarks; repeating a POST changes nothing.

    Without JavaScript it redirects back to ``next`` with a message; through htmx it answers with the new switch.
    """

    http_method_names = ["post", "options"]

    def post(self, request, pk):
        bookmark = get_object_or_404(Bookmark.objects.select_related("company"), pk=pk, user=request.user)
        wanted = CHOICES.get(request.POST.get("alerts", ""))
        if wanted is None:
            message = "Choose whether to switch email alerts on or off."
            if request.htmx:
                return render(request, TOGGLE_TEMPLATE, {"bookmark": bookmark, "alert_status": message}, status=400)
            messages.error(request, message)
            return redirect(reverse("bookmarks:bookmark_list"))
        alert_set(bookmark=bookmark, enabled=wanted)
        name = bookmark.company.name
        if wanted:
            status = (
                f"Email alerts on for {name}: you get at most one email a day when its profile changes or it "
                "posts new roles."
            )
        else:
            status = f"Email alerts off for {name}."
        if request.htmx:
            return render(request, TOGGLE_TEMPLATE, {"bookmark": bookmark, "alert_status": status})
        messages.success(request, status)
        return HttpResponseRedirect(
            safe_next(request, request.POST.get("next", ""), reverse("bookmarks:bookmark_list"))
        )


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class UnsubscribeView(View):
    """The unsubscribe link of every alert email: no sign-in, the signed token says whose alerts to stop.

    GET asks for confirmation (mail scanners open links, and must not unsubscribe anyone); POST, from that
    button or from a mail client's one-click unsubscribe (RFC 8058, which sends no CSRF token), switches off
    every alert of the user.
    """

    http_method_names = ["get", "post", "options"]
    template_name = "bookmarks/alerts_unsubscribe.html"

    def get(self, request, token):
        user = user_from_unsubscribe_token(token)
        if user is None:
            return self.invalid(request)
        alerts_on = Bookmark.objects.filter(user=user, is_alert_enabled=True).count()
        return render(request, self.template_name, {"token": token, "alerts_on": alerts_on})

    def post(self, request, token):
        user = user_from_unsubscribe_token(token)
        if user is None:
            return self.invalid(request)
        alerts_unsubscribe(user=user)
        return render(request, self.template_name, {"done": True})

    def invalid(self, request):
        return render(request, self.template_name, {"invalid": True}, status=400)
