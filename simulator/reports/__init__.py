"""Self-contained HTML reports of a run and of a check, that open offline."""
