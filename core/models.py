from django.db import models


class Versioned(models.Model):
    """A row that counts its saves, so an editor's form can tell that someone else saved it meanwhile."""

    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Goes up by one on every save; the admin checks it before saving."
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Every save path (admin, bulk publish, CSV import) bumps the version, so an open form notices any of them.
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)
