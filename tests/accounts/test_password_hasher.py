"""Production keeps Django's recommended password hasher, and the README says what one sign-in costs with it."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher


def test_production_keeps_djangos_recommended_hasher_and_the_readme_names_its_work_factor():
    for name in ("base.py", "prod.py"):
        assert "PASSWORD_HASHERS" not in (Path(settings.BASE_DIR) / "aihiring" / "settings" / name).read_text()
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    assert f"PBKDF2-SHA256, {PBKDF2PasswordHasher.iterations:,} iterations" in " ".join(readme.split())
