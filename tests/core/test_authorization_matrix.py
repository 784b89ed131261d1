"""Who may do what: every public URL, every admin page and every API endpoint, for five kinds of visitor.

The roles: ``anonymous``; ``user`` (alice, who owns the bookmark the private URLs point at); ``other`` (bob, a
signed-in user who does not); ``editor`` (staff in the Editors group); ``superuser``. SECURITY.md holds the
same table in words. A completeness test fails when a URL is added without a row here.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from rest_framework.authtoken.models import Token

from accounts.models import User
from bookmarks.models import Bookmark

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "user", "other", "editor", "superuser"]
SIGNED_IN = ["user", "other", "editor", "superuser"]

LOGIN = "login"  # a redirect to the site's sign-in page
ADMIN_LOGIN = "admin-login"  # a redirect to the admin's sign-in page


def everyone(status):
    return dict.fromkeys(ROLES, status)


def signed_in_only(status, anonymous=LOGIN):
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, status)}


def owner_only(status, *, anonymous=LOGIN, others=404):
    """Only alice reaches her own bookmark; for anyone else signed in it does not exist."""
    return {"anonymous": anonymous, "user": status, "other": others, "editor": others, "superuser": others}


# ---------------------------------------------------------------- the world the matrix runs in


def client_for(role, world):
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def outcome(response, expected):
    """The response in the matrix's terms: a status, or where a redirect goes."""
    if response.status_code in (301, 302) and expected in (LOGIN, ADMIN_LOGIN, 302):
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        if location.startswith(reverse("accounts:login")):
            return LOGIN
        return 302
    return response.status_code


def run_matrix(role, world, cases):
    """Request every case as ``role``; return the ones whose answer differs from the expected one."""
    client = client_for(role, world)
    wrong = []
    for method, url, data, expected in cases:
        want = expected[role]
        if method == "GET":
            response = client.get(url)
        else:
            kwargs = {"content_type": "application/json"} if url.startswith("/api/") else {}
            response = getattr(client, method.lower())(url, data or {}, **kwargs)
        got = outcome(response, want)
        if got != want:
            wrong.append(f"{method} {url}: expected {want}, got {got}")
    return wrong


# ---------------------------------------------------------------- the site


def site_cases(world):
    company = world["company"].slug
    bookmark = world["bookmark"].pk
    token = world["unsubscribe"]
    return [
        # Public pages: everyone reads them.
        ("GET", reverse("home"), None, everyone(200)),
        ("GET", reverse("companies:company_list") + "?q=ai", None, everyone(200)),
        ("GET", reverse("companies:company_detail", args=[company]), None, everyone(200)),
        ("GET", reverse("companies:company_compare") + "?c=anthropic&c=cohere", None, everyone(200)),
        ("GET", reverse("changes:change_list"), None, everyone(200)),
        ("GET", reverse("changes:change_feed"), None, everyone(200)),
        ("GET", reverse("market:salaries"), None, everyone(200)),
        ("GET", reverse("market:market"), None, everyone(200)),
        ("GET", reverse("guide:offer_check"), None, everyone(200)),
        (
            "POST",
            reverse("guide:offer_check"),
            {"level": "senior", "base": "210000", "total": "260000"},
            everyone(200),
        ),
        ("GET", reverse("guide:about_data"), None, everyone(200)),
        ("GET", reverse("jobs:posting_list") + "?q=engineer", None, everyone(200)),
        ("GET", reverse("jobs:posting_detail", args=[world["posting"].pk]), None, everyone(200)),
        ("GET", reverse("advice:section_list"), None, everyone(200)),
        ("GET", reverse("advice:section_detail", args=["negotiation"]), None, everyone(200)),
        ("GET", reverse("search") + "?q=rag", None, everyone(200)),
        ("GET", reverse("sitemap"), None, everyone(200)),
        ("GET", reverse("robots_txt"), None, everyone(200)),
        ("GET", reverse("feed"), None, everyone(200)),
        ("GET", reverse("healthz"), None, everyone(200)),
        # Signing in and up: pages for visitors; signed-in users are sent on.
        ("GET", reverse("accounts:login"), None, {"anonymous": 200, **dict.fromkeys(SIGNED_IN, 302)}),
        ("GET", reverse("accounts:signup"), None, {"anonymous": 200, **dict.fromkeys(SIGNED_IN, 302)}),
        ("GET", reverse("accounts:password_reset"), None, everyone(200)),
        ("GET", reverse("accounts:password_reset_done"), None, everyone(200)),
        ("GET", reverse("accounts:password_reset_complete"), None, everyone(200)),
        ("GET", reverse("accounts:password_reset_confirm", args=["MQ", "not-a-token"]), None, everyone(200)),
        # The signed-in user's own pages.
        ("GET", reverse("accounts:account"), None, signed_in_only(200)),
        ("GET", reverse("accounts:password_change"), None, signed_in_only(200)),
        ("GET", reverse("accounts:account_delete"), None, signed_in_only(200)),
        ("GET", reverse("accounts:api_token"), None, {**everyone(405), "anonymous": LOGIN}),
        ("POST", reverse("accounts:api_token"), {"action": "create"}, signed_in_only(200)),
        ("GET", reverse("bookmarks:bookmark_list"), None, signed_in_only(200)),
        ("GET", reverse("bookmarks:bookmark_export"), None, signed_in_only(200)),
        ("GET", reverse("bookmarks:bookmark_update", args=[bookmark]), None, owner_only(200)),
        ("POST", reverse("bookmarks:bookmark_update", args=[bookmark]), {"stage": "applied"}, owner_only(302)),
        # The Save link: signed in, a page asking to press Save; anyone else is sent to sign in first.
        ("GET", reverse("bookmarks:bookmark_set", args=[company]), None, signed_in_only(200)),
        ("POST", reverse("bookmarks:bookmark_set", args=[company]), {"saved": "1"}, signed_in_only(302)),
        ("GET", reverse("alerts:alert_settings"), None, signed_in_only(200)),
        ("POST", reverse("alerts:alert_settings"), {"new_roles": "all"}, signed_in_only(302)),
        ("GET", reverse("alerts:alert_set", args=[bookmark]), None, {**everyone(405), "anonymous": LOGIN}),
        ("POST", reverse("alerts:alert_set", args=[bookmark]), {"alerts": "on"}, owner_only(302)),
        # The unsubscribe link works for whoever holds it, signed in or not; a forged one does not.
        ("GET", reverse("alerts:unsubscribe", args=[token]), None, everyone(200)),
        ("GET", reverse("alerts:unsubscribe", args=["forged-token"]), None, everyone(400)),
        # Last, because it ends the session.
        ("GET", reverse("accounts:logout"), None, everyone(405)),
        ("POST", reverse("accounts:logout"), None, everyone(302)),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_site_pages(role, world):
    wrong = run_matrix(role, world, site_cases(world))
    assert wrong == [], "\n".join(wrong)


def test_nobody_sees_another_users_bookmark_or_note(world):
    for role in ["other", "editor", "superuser"]:
        client = client_for(role, world)
        for url in [reverse("bookmarks:bookmark_list"), reverse("bookmarks:bookmark_export"), "/api/bookmarks/"]:
            assert "Alice's private note" not in client.get(url).content.decode(), (role, url)


# ---------------------------------------------------------------- the API


def api_cases(world):
    bookmark = world["bookmark"].pk
    public = [
        "/api/",
        "/api/schema/",
        "/api/docs/",
        "/api/companies/",
        "/api/companies/anthropic/",
        "/api/categories/",
        "/api/categories/ai-native-companies/",
        "/api/roles/",
        "/api/roles/ai-engineer/",
        "/api/editions/",
        "/api/editions/2026-q1/",
        "/api/salaries/",
        "/api/market/snapshots/",
        "/api/market/series/",
        "/api/market/trends/",
        "/api/specializations/",
        "/api/advice/",
        "/api/advice/negotiation/",
        "/api/jobs/",
        f"/api/jobs/{world['posting'].pk}/",
    ]
    cases = [("GET", url, None, everyone(200)) for url in public]
    # The open data is read-only for everyone, editors and superusers included: they edit in the admin.
    for url in public[3:]:
        cases += [(method, url, {}, everyone(405)) for method in ("POST", "PUT", "PATCH", "DELETE")]
    private = {"anonymous": 401}
    cases += [
        ("GET", "/api/bookmarks/", None, {**everyone(200), **private}),
        ("POST", "/api/bookmarks/", {"company": "stripe"}, {**everyone(201), **private}),
        ("GET", f"/api/bookmarks/{bookmark}/", None, owner_only(200, anonymous=401)),
        ("PATCH", f"/api/bookmarks/{bookmark}/", {"stage": "offer"}, owner_only(200, anonymous=401)),
        ("PUT", f"/api/bookmarks/{bookmark}/", {"stage": "closed", "note": ""}, owner_only(200, anonymous=401)),
        ("DELETE", f"/api/bookmarks/{bookmark}/", None, owner_only(204, anonymous=401)),
        ("GET", "/api/auth/token/", None, everyone(405)),
        ("POST", "/api/auth/token/", {"username": "alice", "password": "wrong"}, everyone(400)),
        ("GET", "/api/no-such-thing/", None, everyone(404)),
    ]
    return cases


@pytest.mark.parametrize("role", ROLES)
def test_api_endpoints(role, world):
    wrong = run_matrix(role, world, api_cases(world))
    assert wrong == [], "\n".join(wrong)


def test_api_token_reaches_only_its_own_bookmarks(world, client):
    token = Token.objects.get(user__username="alice").key
    headers = {"Authorization": f"Token {token}"}
    assert client.get(f"/api/bookmarks/{world['bookmark'].pk}/", headers=headers).status_code == 200
    theirs = Bookmark.objects.get(user__username="bob").pk
    assert client.get(f"/api/bookmarks/{theirs}/", headers=headers).status_code == 404
    assert client.get("/api/bookmarks/", headers={"Authorization": "Token forged"}).status_code == 401


# ---------------------------------------------------------------- the admin

# Models editors curate: the guide's content. Everything else in the admin is for superusers only.
CONTENT_MODELS = {
    "companies.Category",
    "companies.Role",
    "companies.Company",
    "market.Edition",
    "market.MarketSnapshot",
    "market.ComputedSnapshot",
    "market.SalaryBenchmark",
    "market.Trend",
    "market.Specialization",
    "advice.AdviceSection",
    "jobs.JobSource",
    "jobs.SyncRun",
    "jobs.Posting",
}
SUPERUSER_MODELS = {
    "django_tasks_database.DBTaskResult",
    "accounts.User",
    "auth.Group",
    "authtoken.TokenProxy",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
}
# Pages no one may use, by design of the app that owns them (lockout records are written by django-axes only).
NOBODY = {"axes_accessattempt_add", "axes_accesslog_add", "axes_accessfailurelog_add"}
# Postings and sync runs are written by the sync alone, and a posting is closed, never deleted.
NOBODY |= {"jobs_syncrun_add", "jobs_posting_add", "jobs_posting_delete"}
# Counts of postings come from compute_snapshot alone.
NOBODY |= {"market_computedsnapshot_add"}
# Task records are django-tasks-db's own: its admin reads them and lets no one add or delete one.
NOBODY |= {"django_tasks_database_dbtaskresult_add", "django_tasks_database_dbtaskresult_delete"}
# Pages that only answer a POST from a previous step.
POST_ONLY = {"process_import", "publish_figures"}


def _sample(model):
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"the matrix needs a {model._meta.label} row"
    return obj


def _admin_url_arguments(pattern, model):
    """Arguments for an admin URL: the sample row's pk for an object id, its first history record for a version."""
    regex = pattern.pattern.regex
    names = list(regex.groupindex) or [None] * regex.groups
    values = []
    obj = _sample(model)
    for position, name in enumerate(names):
        if name in ("version_id", "history_id") or (name is None and position == 1):
            if not obj.history.exists():
                obj.save()  # a first history record to open
            values.append(obj.history.order_by("history_id").first().history_id)
        elif name in ("object_id", "id", "pk", None):
            values.append(obj.pk)
        else:
            raise AssertionError(f"the matrix does not know the admin URL argument {name!r} of {pattern.name}")
    if regex.groupindex:
        return {"kwargs": dict(zip(names, values, strict=True))}
    return {"args": values}


def admin_model_cases(world):
    """Every URL of every registered ModelAdmin, with its expected answer per role."""
    cases = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        assert label in CONTENT_MODELS | SUPERUSER_MODELS, f"classify {label} in the authorization matrix"
        editor_status = 200 if label in CONTENT_MODELS else 403
        for pattern in model_admin.urls:
            if not isinstance(pattern, URLPattern) or not pattern.name:
                continue  # the catch-all redirect for old change URLs
            suffix = pattern.name.removeprefix(f"{model._meta.app_label}_{model._meta.model_name}_")
            url = reverse(f"admin:{pattern.name}", **_admin_url_arguments(pattern, model))
            expected = {"anonymous": ADMIN_LOGIN, "user": ADMIN_LOGIN, "other": ADMIN_LOGIN}
            if suffix in POST_ONLY:
                expected |= {"editor": 405 if editor_status == 200 else 403, "superuser": 405}
            elif pattern.name in NOBODY:
                expected |= {"editor": 403, "superuser": 403}
            else:
                expected |= {"editor": editor_status, "superuser": 200}
            cases.append(("GET", url, None, expected))
    return cases


def admin_site_cases():
    staff = {"anonymous": ADMIN_LOGIN, "user": ADMIN_LOGIN, "other": ADMIN_LOGIN, "editor": 200, "superuser": 200}
    superuser_only = {**staff, "editor": 404}
    return [
        ("GET", reverse("admin:login"), None, {**everyone(200), "editor": 302, "superuser": 302}),
        ("GET", reverse("admin:index"), None, staff),
        ("GET", reverse("admin:password_change"), None, staff),
        ("GET", reverse("admin:password_change_done"), None, staff),
        ("GET", reverse("admin:jsi18n"), None, staff),
        ("GET", reverse("admin:app_list", args=["companies"]), None, staff),
        ("GET", reverse("admin:app_list", args=["market"]), None, staff),
        ("GET", reverse("admin:app_list", args=["advice"]), None, staff),
        ("GET", reverse("admin:app_list", args=["jobs"]), None, staff),
        ("GET", reverse("admin:app_list", args=["accounts"]), None, superuser_only),
        ("GET", reverse("admin:app_list", args=["auth"]), None, superuser_only),
        ("GET", reverse("admin:app_list", args=["axes"]), None, superuser_only),
        # Sign-out is a POST; a GET sends visitors who are not signed in to the admin's front page.
        ("GET", reverse("admin:logout"), None, {**everyone(302), "editor": 405, "superuser": 405}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_admin_pages(role, world):
    wrong = run_matrix(role, world, admin_site_cases() + admin_model_cases(world))
    assert wrong == [], "\n".join(wrong)


def test_editors_cannot_grant_themselves_more(world):
    client = client_for("editor", world)
    editor = world["users"]["editor"]
    response = client.post(reverse("admin:accounts_user_change", args=[editor.pk]), {"is_superuser": "on"})
    assert response.status_code == 403
    editor.refresh_from_db()
    assert not editor.is_superuser
    assert client.post(reverse("admin:auth_group_add"), {"name": "Sneaky"}).status_code == 403
    assert not Group.objects.filter(name="Sneaky").exists()
    assert User.objects.filter(is_superuser=True).count() == 1


# ---------------------------------------------------------------- completeness


def _named_routes(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(filter(None, [namespace, pattern.namespace]))
            if ns != "admin":
                yield from _named_routes(pattern.url_patterns, ns)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_is_in_the_matrix(world):
    covered = {url.split("?")[0] for _, url, _, _ in site_cases(world) + api_cases(world) + admin_site_cases()}
    covered_names = set()
    for path in covered:
        covered_names.add(resolve(path).view_name)
    # DRF's router names each viewset's routes ``<basename>-list`` / ``-detail``.
    missing = sorted(set(_named_routes(get_resolver().url_patterns)) - covered_names)
    assert missing == [], f"add these URLs to the authorization matrix: {missing}"
