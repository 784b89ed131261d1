from django import forms

from .models import Bookmark, BookmarkStage

STAGE_NAMES = ", ".join(label for _, label in BookmarkStage.choices[:-1]) + f" or {BookmarkStage.CLOSED.label}"


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
