"""Optimistic locking in the admin: a form that refuses to overwrite a row someone else saved meanwhile."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.utils import dateformat, timezone
from django.utils.text import get_text_list


class UnlabelledHiddenInput(forms.HiddenInput):
    """A hidden input that the admin's row label does not point at: a label may name only a visible control."""

    def id_for_label(self, id_):
        return ""


class VersionCheckedForm(forms.ModelForm):
    """Carries the row's version in a hidden field and stops the save when the stored version moved on.

    On a conflict the editor's input stays in the form and the hidden version is brought up to date, so
    saving again, once they have looked at the other changes, replaces them on purpose.
    """

    version = forms.IntegerField(widget=UnlabelledHiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            # The stored version, not the instance's: reverting to an old version starts from today's row.
            self.fields["version"].initial = self._stored_version(lock=False)

    def _stored_version(self, *, lock):
        queryset = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        if lock and transaction.get_connection(router.db_for_write(type(self.instance))).in_atomic_block:
            # Held until the admin's transaction ends, so a concurrent save waits and then sees our version.
            queryset = queryset.select_for_update()
        return queryset.values_list("version", flat=True).first()

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        stored = self._stored_version(lock=True)
        if stored is None:
            return cleaned_data
        if cleaned_data.get("version") != stored:
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = stored
            raise ValidationError(self.conflict_message(), code="conflict")
        self.instance.version = stored
        return cleaned_data

    def conflict_message(self):
        name = self.instance._meta.verbose_name
        message = f"Someone else saved this {name} while you were editing"
        latest = self.instance.history.first() if hasattr(self.instance, "history") else None
        if latest is not None:
            when = dateformat.format(timezone.localtime(latest.history_date), "j M Y, H:i T")
            who = latest.history_user.get_username() if latest.history_user else "an import or script"
            message += f" ({who}, {when})"
        message += ". Your changes are kept below but were not saved."
        # The row's own fields only: not the form's declared extras (the version, a confirmation box).
        differ = [self.fields[f].label or f for f in self.changed_data if f not in self.declared_fields]
        if differ:
            message += f" Saving again will replace the stored {get_text_list([str(d) for d in differ], 'and')}."
        message += " Check the other changes under History, then save again to keep yours."
        return message


class VersionCheckedAdmin:
    """ModelAdmin mixin: use a VersionCheckedForm and render its hidden version field on change forms."""

    form = VersionCheckedForm

    def get_exclude(self, request, obj=None):
        # The model field is not editable; the form's own hidden field stands in for it.
        return [*(super().get_exclude(request, obj) or []), "version"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "version"]}), *rest]
