"""An N+1 guard for the tests, built on Django 6.1 fetch modes.

``FETCH_RAISE_ON_PEERS`` lets a lone instance load a missing related object (a detail page reading
``company.edition``), but raises ``FieldFetchBlocked`` when an instance that came from a queryset of
several rows does: that is the N+1 pattern, a query per row, that ``select_related`` or ``only`` fixes.
"""

from django.core.exceptions import FieldFetchBlocked
from django.db.models import query
from django.db.models.fetch_modes import FetchMode


class FetchRaiseOnPeers(FetchMode):
    __slots__ = ()

    track_peers = True

    def fetch(self, fetcher, instance):
        peers = sum(1 for ref in instance._state.peers if ref() is not None)
        if peers > 1:
            raise FieldFetchBlocked(
                f"N+1 query: {instance.__class__.__qualname__}.{fetcher.field.name} loaded one row at a time for "
                f"{peers} rows; add select_related(), prefetch_related() or only() to the queryset."
            ) from None
        fetcher.fetch_one(instance)

    def __reduce__(self):
        return "FETCH_RAISE_ON_PEERS"


FETCH_RAISE_ON_PEERS = FetchRaiseOnPeers()


def install():
    """Make ``FETCH_RAISE_ON_PEERS`` the fetch mode of every queryset (test settings only)."""
    query.DEFAULT_FETCH_MODE = FETCH_RAISE_ON_PEERS
