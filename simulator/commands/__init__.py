"""The ``check``, ``sweep`` and ``report`` subcommands of ``python -m simulator``: their flags,
and the output of the advisor, sweeps and reports on the command line."""
