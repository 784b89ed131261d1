"""A bookmark an anonymous visitor asked for, kept in their session until they sign in or sign up."""

from .models import Company
from .services import bookmark_set

SESSION_KEY = "pending_bookmark"


def pending_bookmark_remember(request, company: Company) -> None:
    """Remember that the visitor wants ``company`` bookmarked once they are signed in."""
    request.session[SESSION_KEY] = company.slug


def pending_bookmark_company(request) -> Company | None:
    """The published company waiting to be bookmarked for this session, if any."""
    slug = request.session.get(SESSION_KEY)
    if not slug:
        return None
    return Company.objects.published().filter(slug=slug).first()


def pending_bookmark_save(request) -> Company | None:
    """Save the waiting bookmark for the signed-in user and forget it; returns its company, if there was one."""
    company = pending_bookmark_company(request)
    request.session.pop(SESSION_KEY, None)
    if company is None or not request.user.is_authenticated:
        return None
    bookmark_set(user=request.user, company=company, saved=True)
    return company
