"""podviz: the Django side of the dashboard (settings, ASGI, views, consumers, run manager)."""
