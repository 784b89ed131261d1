from django import forms

from jobs.models import Level

from .models import Bookmark, BookmarkStage, NewRoles


def _names(choices):
    labels = [label for _, label in choices]
    return ", ".join(labels[:-1]) + f" or {labels[-1]}"


STAGE_NAMES = _names(BookmarkStage.choices)
LEVEL_NAMES = _names(Level.choices)


class BookmarkSetForm(forms.Form):
    """The wanted state of a bookmark (save or remove), so repeating a request changes nothing."""

    saved = forms.TypedChoiceField(
        choices=[("1", "Save"), ("0", "Remove")],
        coerce=lambda value: value == "1",
        error_messages={
            "required": "Say whether to save or remove the bookmark.",
            "invalid_choice": "Say whether to save (1) or remove (0) the bookmark.",
        },
    )
    next = forms.CharField(required=False, max_length=2000)
    fragment = forms.ChoiceField(choices=[("button", "button"), ("card", "card")], required=False)


class BookmarkForm(forms.ModelForm):
    """A bookmark's private note and stage."""

    class Meta:
        model = Bookmark
        fields = ["stage", "note"]
        labels = {"stage": "Stage", "note": "Private note"}
        help_texts = {"note": "Only you can see this. Up to 2,000 characters."}
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "stage": {
                "invalid_choice": f"Choose a stage from the list: {STAGE_NAMES}.",
                "required": f"Choose a stage: {STAGE_NAMES}.",
            },
            "note": {
                "max_length": "Your note is too long: keep it to 2,000 characters (it has %(show_value)s).",
            },
        }


class AlertPreferenceForm(forms.Form):
    """Which new roles at bookmarked companies the daily digest lists: all, some levels, or none."""

    new_roles = forms.ChoiceField(
        label="Which new roles should your email list?",
        choices=NewRoles.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose which new roles to hear about: all of them, only some levels, or none.",
            "invalid_choice": "Choose which new roles to hear about: all of them, only some levels, or none.",
        },
    )
    levels = forms.MultipleChoiceField(
        label="Levels",
        choices=Level.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Used when you choose only some levels. “Level not stated” is a role whose title gives no level.",
        error_messages={"invalid_choice": f"Choose levels from the list: {LEVEL_NAMES}."},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_roles") == NewRoles.LEVELS and not cleaned.get("levels") and "levels" not in self.errors:
            self.add_error("levels", "Tick at least one level, or choose “All new roles” to hear about every new role.")
        return cleaned
