"""Throttles whose rates are read from settings on every request, so a changed setting takes effect at once."""

from django.core.exceptions import ImproperlyConfigured
from rest_framework import throttling
from rest_framework.settings import api_settings


class _SettingsRateMixin:
    def get_rate(self):
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError:
            raise ImproperlyConfigured(f"No throttle rate set for scope {self.scope!r}.") from None


class AnonRateThrottle(_SettingsRateMixin, throttling.AnonRateThrottle):
    """Anonymous clients, by IP address: REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"]."""


class UserRateThrottle(_SettingsRateMixin, throttling.UserRateThrottle):
    """Signed-in clients, by user: REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["user"]."""
