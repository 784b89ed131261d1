"""What a visitor asked for before signing in (save this company…), kept in their session until they are in.

The app that offers the action remembers the wish and does it on Django's ``user_logged_in`` signal; the sign-in
pages only show it, so they need not know what it is.
"""

SESSION_KEY = "after_sign_in"


def wish_remember(request, *, action: str, value: str, label: str) -> None:
    """Keep one wish: ``action`` names it, ``value`` is what it needs, ``label`` is what a person reads."""
    request.session[SESSION_KEY] = {"action": action, "value": value, "label": label}


def wish_pending(request) -> dict | None:
    """The wish waiting for this session, if any."""
    session = getattr(request, "session", None)
    return session.get(SESSION_KEY) if session is not None else None


def wish_take(request, *, action: str) -> dict | None:
    """The waiting wish of ``action``, forgotten as it is handed over."""
    wish = wish_pending(request)
    if not wish or wish.get("action") != action:
        return None
    request.session.pop(SESSION_KEY, None)
    return wish
