"""The Django admin of saved scenarios, held to the store's rules.

The form validates the YAML as the API does and shows every problem on the YAML field; an edit
carries the version it started from, so a save over someone else's newer one is refused. The
admin runs each form in one transaction, and the form locks the row while it checks the version,
so the check still holds when the save is written.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from . import store as scenario_store
from .models import SavedScenario


class SavedScenarioForm(forms.ModelForm):
    # Not stripped: the text is kept as written.
    yaml_text = forms.CharField(
        label="YAML",
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 40, "cols": 100, "spellcheck": "false", "class": "vLargeTextField"}
        ),
    )
    based_on_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = SavedScenario
        fields = ("yaml_text",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["based_on_version"].initial = self.instance.version

    def clean_yaml_text(self) -> str:
        # Browsers send a textarea's lines ending in CR LF whatever the text had.
        text = self.cleaned_data["yaml_text"].replace("\r\n", "\n")
        validation = scenario_store.validate(text)
        if validation.scenario is None:
            raise forms.ValidationError([str(problem) for problem in validation.problems])
        name = validation.scenario.name
        if self.instance.pk is None:
            self._check_new_name(text, name)
        elif name != self.instance.slug:
            raise forms.ValidationError(
                f"metadata.name must stay {self.instance.slug!r}, the name this scenario is saved "
                "under; to keep a copy under another name, add it as a new scenario"
            )
        return text

    def _check_new_name(self, text: str, name: str) -> None:
        try:
            scenario_store.check_new_name(text, name)
        except scenario_store.InvalidScenario as error:
            raise forms.ValidationError([str(problem) for problem in error.problems]) from None
        taken = SavedScenario.objects.filter(slug=name).first()
        if taken is not None:
            raise forms.ValidationError(str(scenario_store.NameTaken(name, taken.version)))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        edited = cleaned.get("based_on_version") or self.instance.version
        current = (
            SavedScenario.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if current is not None and current != edited:
            stale = scenario_store.StaleVersion(self.instance.slug, current, edited)
            self.add_error("yaml_text", str(stale))
        return cleaned


@admin.register(SavedScenario)
class SavedScenarioAdmin(admin.ModelAdmin):
    form = SavedScenarioForm
    list_display = ("slug", "title", "owner", "version", "origin", "updated_at")
    list_filter = ("origin",)
    list_select_related = ("owner",)
    search_fields = ("slug", "title", "owner__username")
    readonly_fields = ("slug", "title", "owner", "version", "origin", "created_at", "updated_at")
    fields = (
        "slug",
        "title",
        "owner",
        "version",
        "origin",
        "created_at",
        "updated_at",
        "yaml_text",
        "based_on_version",
    )

    def has_change_permission(self, request: HttpRequest, obj: SavedScenario | None = None) -> bool:
        """The store's rule (its owner and staff), beside the admin's own permissions."""
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or scenario_store.may_change(request.user, obj))

    def save_model(
        self, request: HttpRequest, obj: SavedScenario, form: SavedScenarioForm, change: bool
    ) -> None:
        text = form.cleaned_data["yaml_text"]
        if change:
            edited = form.cleaned_data.get("based_on_version") or obj.version
            saved = scenario_store.update(obj.slug, text, based_on_version=edited)
        else:
            saved = scenario_store.create(text, owner=request.user)
        obj.pk = saved.pk
        obj.refresh_from_db()
