from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.validators import MaxLengthValidator

from .models import User


class SignupForm(UserCreationForm):
    """A new account: username, email (for password resets and alerts) and a password checked by the validators."""

    email = forms.EmailField(
        max_length=254,
        help_text="Used to reset your password and, if you turn them on, for email alerts about the companies "
        "you save. Other readers never see it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")


class AccountDeleteForm(forms.Form):
    """Confirms an account deletion with the account's current password."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Type your password to confirm that you want to delete your account.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password. Nothing was deleted.", code="password_incorrect")
        return password


class UsernameLengthMixin:
    """Refuse an over-long username before authenticating: django-axes would write it into a 255-character column."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = User._meta.get_field(User.USERNAME_FIELD).max_length
        self.fields["username"].validators.append(
            MaxLengthValidator(limit, message=f"Usernames are at most {limit} characters.")
        )


class SignInForm(UsernameLengthMixin, AuthenticationForm):
    """The site's sign-in form."""


class AdminSignInForm(UsernameLengthMixin, AdminAuthenticationForm):
    """The admin's sign-in form."""
