"""Scenarios saved by users: the YAML text as written, versioned so edits never cross silently."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

SLUG_PATTERN = r"^[a-z0-9-]{1,63}\Z"
TITLE_LENGTH = 200


class SavedScenario(models.Model):
    slug = models.CharField(
        max_length=63,
        unique=True,
        validators=[RegexValidator(SLUG_PATTERN, "must match [a-z0-9-]{1,63}")],
        help_text="The document's metadata.name; used in URLs.",
    )
    title = models.CharField(max_length=TITLE_LENGTH, help_text="The English title, for lists.")
    yaml_text = models.TextField("YAML", help_text="The scenario document as its author wrote it.")
    version = models.PositiveIntegerField(default=1, help_text="Incremented on each save.")
    origin = models.CharField(
        max_length=63, blank=True, help_text="The built-in scenario this one was loaded from."
    )
    # Who may change it (with staff); everyone may read and fork it. Null: nobody but staff (a
    # built-in lesson's copy, or a scenario saved before scenarios had owners with no superuser
    # to give it to, migration 0004).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="saved_scenarios",
        help_text="The user who saved it: only they and staff may change it.",
    )
    # The text last loaded from the origin preset: tells a changed preset from an edit made here.
    origin_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("slug",)
        verbose_name = "saved scenario"

    def __str__(self) -> str:
        return f"{self.slug} (version {self.version})"
