import pytest
from django.core.management import CommandError, call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


def _answers(monkeypatch, *answers):
    replies = iter(answers)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(replies))


def test_createeditor_makes_a_staff_editor_that_is_not_a_superuser(monkeypatch):
    _answers(monkeypatch, "a-long-editor-password", "a-long-editor-password")
    call_command("createeditor", "alice", email="alice@example.com")
    alice = User.objects.get(username="alice")
    assert alice.is_staff and not alice.is_superuser
    assert list(alice.groups.values_list("name", flat=True)) == ["Editors"]
    assert alice.check_password("a-long-editor-password")
    assert alice.has_perm("companies.change_company")
    assert not alice.has_perm("accounts.view_user")


def test_createeditor_refuses_short_passwords_then_gives_up(monkeypatch):
    _answers(monkeypatch, *["short"] * 6)
    with pytest.raises(CommandError, match="No valid password given"):
        call_command("createeditor", "bob")
    assert not User.objects.filter(username="bob").exists()


def test_createeditor_refuses_an_existing_username(monkeypatch):
    User.objects.create(username="carol")
    with pytest.raises(CommandError, match="already exists"):
        call_command("createeditor", "carol")
