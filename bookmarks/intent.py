"""A bookmark a visitor asked for before signing in: kept in their session, saved once they are in.

The accounts app knows nothing of bookmarks: it shows the waiting wish (``core.signin``) and signs people in;
Django's ``user_logged_in`` signal tells this module to save it.
"""

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in

from companies.models import Company
from core import signin

from .services import bookmark_set

WISH = "bookmark"


def pending_bookmark_remember(request, company: Company) -> None:
    """Remember that the visitor wants ``company`` bookmarked once they are signed in."""
    signin.wish_remember(request, action=WISH, value=company.slug, label=company.name)


def pending_bookmark_save(sender, request, user, **kwargs) -> Company | None:
    """On sign-in: save the waiting bookmark, if its company is still published, and say so."""
    wish = signin.wish_take(request, action=WISH)
    if wish is None:
        return None
    company = Company.objects.published().filter(slug=wish["value"]).first()
    if company is None:
        return None
    bookmark_set(user=user, company=company, saved=True)
    messages.success(request, f"{company.name} is saved in your bookmarks.")
    return company


def connect_signals():
    user_logged_in.connect(pending_bookmark_save, dispatch_uid="bookmarks-pending-save")
