from urllib.parse import urlsplit

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView, View
from rest_framework.authtoken.models import Token

from core.signin import wish_pending

from .forms import AccountDeleteForm, SignInForm, SignupForm
from .services import account_delete, api_token_create, api_token_revoke


class PendingWishMixin:
    """Shows what the visitor asked for before signing in; the app that offered it does it on sign-in."""

    def get_context_data(self, **kwargs):
        kwargs.setdefault("pending_wish", wish_pending(self.request))
        return super().get_context_data(**kwargs)


class NoLoopRedirectMixin:
    """Ignores a ``next`` that leads back to sign-in or sign-up, which would loop for a signed-in user."""

    def get_redirect_url(self, request=None):
        url = super().get_redirect_url(request)
        if not url.startswith("/") or url.startswith(("//", "/\\")):
            return ""  # only a path on this site: "x" is not a page, whatever redirect() would make of it
        if urlsplit(url).path in {reverse("accounts:login"), reverse("accounts:signup")}:
            return ""
        return url


class LoginView(NoLoopRedirectMixin, PendingWishMixin, auth_views.LoginView):
    """Django's sign-in; django-axes (its backend and middleware) locks out repeated failures."""

    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Sign out, by POST only (Django's view answers GET with 405)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You are signed out.")
        return response


@method_decorator([sensitive_post_parameters(), csrf_protect, never_cache], name="dispatch")
class SignupView(NoLoopRedirectMixin, PendingWishMixin, auth_views.RedirectURLMixin, FormView):
    """Create an account, sign in and go on to ``next`` (when it is safe) or to the bookmarks."""

    form_class = SignupForm
    template_name = "accounts/signup.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return HttpResponseRedirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)

    def get_default_redirect_url(self):
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def get_context_data(self, **kwargs):
        kwargs.setdefault(self.redirect_field_name, self.get_redirect_url())
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        user = form.save()
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(self.request, f"Welcome, {user.username}: your account is ready.")
        return HttpResponseRedirect(self.get_success_url())


@method_decorator(never_cache, name="dispatch")
class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/account.html"

    def get_context_data(self, **kwargs):
        kwargs["bookmark_count"] = self.request.user.bookmarks.count()
        kwargs["api_token"] = Token.objects.filter(user=self.request.user).only("created").first()
        return super().get_context_data(**kwargs)


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")
    success_message = "Your password is changed."

    def form_valid(self, form):
        response = super().form_valid(form)
        if api_token_revoke(user=form.user):
            messages.info(self.request, "Your API token stopped working with the old password: create a new one.")
        return response


@method_decorator(never_cache, name="dispatch")
class ApiTokenView(LoginRequiredMixin, View):
    """POST ``action=create`` (a new token, shown once) or ``action=revoke`` for the signed-in user's API token."""

    http_method_names = ["post", "options"]

    def post(self, request):
        action = request.POST.get("action")
        if action == "create":
            # Shown once, in this response only: never in a message, a cookie or an address.
            token = api_token_create(user=request.user)
            view = AccountView(request=request)
            return render(request, AccountView.template_name, view.get_context_data(new_token=token))
        if action == "revoke":
            revoked = api_token_revoke(user=request.user)
            messages.success(request, "Your API token is revoked." if revoked else "You had no API token.")
        else:
            messages.error(request, "Choose to create or to revoke your API token.")
        return redirect("accounts:account")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_email_context = {"site_name": settings.SITE_NAME}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Proving control of the account's email ends any lockout on its username; an old API token ends too.
        axes_reset(username=form.user.get_username())
        api_token_revoke(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@method_decorator([sensitive_post_parameters(), never_cache], name="dispatch")
class AccountDeleteView(LoginRequiredMixin, FormView):
    """Delete the signed-in account and its bookmarks, after the password is confirmed (POST)."""

    form_class = AccountDeleteForm
    template_name = "accounts/account_delete.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        kwargs["bookmark_count"] = self.request.user.bookmarks.count()
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        user = self.request.user
        count = account_delete(user=user)
        logout(self.request)
        noun = "bookmark" if count == 1 else "bookmarks"
        messages.success(self.request, f"Your account and its {count} {noun} are deleted.")
        return redirect("home")
