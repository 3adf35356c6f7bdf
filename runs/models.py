"""Live runs as the database keeps them."""

from __future__ import annotations

from django.db import models


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
    class_state = models.JSONField(
        default=dict,
        blank=True,
        help_text="The class around the run: the open question with its answers, and the "
        "presenter's switch for predicted damage (runs/durable.py).",
    )
    presenter_secret = models.CharField(max_length=64)
    join_code = models.CharField(max_length=12, unique=True, null=True, blank=True)
    forked_from = models.CharField(max_length=16, blank=True)
    owner_channel = models.CharField(max_length=200, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The table and its history are from when the model lived in the app labelled "podviz"
        # (runs/migrations/0001_initial.py).
        db_table = "podviz_classrun"
        ordering = ("-updated_at",)
        verbose_name = "class run"

    def __str__(self) -> str:
        return f"{self.run_id} ({self.scenario_slug} at {self.sim_time:.0f} s)"
