"""`manage.py collectstatic_if_stale`: collectstatic only when a static source changed."""

from django.core.management.base import BaseCommand

from core.staticfiles import collect_if_stale


class Command(BaseCommand):
    help = "Run collectstatic (hashed, gzip and Brotli copies) unless nothing changed since."

    def handle(self, *args, **options):
        collected = collect_if_stale(verbosity=max(0, options["verbosity"] - 1))
        if options["verbosity"] > 0:
            self.stdout.write("static files collected" if collected else "static files up to date")
