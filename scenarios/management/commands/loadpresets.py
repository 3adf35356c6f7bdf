"""``python manage.py loadpresets [--force]``: every built-in scenario, stored as a saved one.

Run it again after the presets change: an unchanged preset is left as it is (same version), a
changed one is saved as a new version. A copy edited here is left alone and listed, unless
``--force`` replaces the edits with the preset.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scenarios import store as scenario_store
from scenarios.store import PresetSync
from simulator.scenario.presets import preset_slugs

# What each outcome is called in the summary, in the summary's order.
HEADINGS = {
    PresetSync.CREATED: "created",
    PresetSync.UPDATED: "updated (the preset changed)",
    PresetSync.OVERWRITTEN: "overwritten (edits made here replaced by the preset, --force)",
    PresetSync.UNCHANGED: "unchanged",
    PresetSync.KEPT_EDITED: "left alone (edited here; --force replaces the edits)",
    PresetSync.KEPT_NOT_FROM_PRESET: "left alone (a saved scenario of that name, not a preset)",
}


class Command(BaseCommand):
    help = "Store every built-in scenario as a saved scenario (edits made here are kept)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the edits made here to scenarios that came from a preset",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        outcomes: dict[PresetSync, list[str]] = {outcome: [] for outcome in HEADINGS}
        failed: list[str] = []
        for slug in preset_slugs():
            try:
                outcome = scenario_store.sync_preset(slug, force=options["force"])
            except scenario_store.StoreError as error:
                self.stderr.write(f"{slug}: not stored:\n{error}")
                failed.append(slug)
                continue
            outcomes[outcome].append(slug)
        for outcome, heading in HEADINGS.items():
            if outcomes[outcome]:
                self.stdout.write(f"{heading}: {', '.join(outcomes[outcome])}")
        if failed:
            raise CommandError(f"{len(failed)} preset(s) not stored: {', '.join(failed)}")
