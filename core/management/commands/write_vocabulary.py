"""``python manage.py write_vocabulary``: write core/static/podviz/vocabulary.js from the Python
definitions (core/vocabulary.py)."""

from typing import Any

from django.core.management.base import BaseCommand

from core.vocabulary import MODULE, vocabulary_module


class Command(BaseCommand):
    help = "Write the browser's vocabulary module (causes, colours, pod states) from Python."

    def handle(self, *args: Any, **options: Any) -> None:
        MODULE.write_text(vocabulary_module(), encoding="utf-8")
        self.stdout.write(f"wrote {MODULE}")
