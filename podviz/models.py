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
    # to give it to, migration 0003).
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


class ClassRun(models.Model):
    """A live run as the database keeps it, so any server process can bring it back.

    A run is its scenario text, its seed (inside the text), the faults injected by hand, its
    clock and speed: re-running the scenario with those faults to ``sim_time`` rebuilds it
    exactly. The owning process renews its lease every few seconds and writes the clock with it;
    when the lease lapses (the process died), another process takes the run over.
    """

    run_id = models.CharField(max_length=16, primary_key=True)
    scenario_slug = models.CharField(max_length=63)
    scenario_text = models.TextField(help_text="The scenario document the run was started from.")
    title = models.JSONField(default=dict, help_text="The scenario's title by language.")
    injected = models.JSONField(default=list, help_text="Faults injected by hand, in order.")
    sim_time = models.FloatField(default=0.0, help_text="Simulated seconds since the start.")
    speed = models.FloatField(default=1.0)
    playing = models.BooleanField(default=True)
    presenter_secret = models.CharField(max_length=64)
    join_code = models.CharField(max_length=12, unique=True, null=True, blank=True)
    forked_from = models.CharField(max_length=16, blank=True)
    owner_channel = models.CharField(max_length=200, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-updated_at",)
        verbose_name = "class run"

    def __str__(self) -> str:
        return f"{self.run_id} ({self.scenario_slug} at {self.sim_time:.0f} s)"
