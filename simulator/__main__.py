"""``python -m simulator``: see ``simulator.cli``."""

import os

# The engine never calls BLAS: without this, numpy's import starts OpenBLAS's thread pool,
# whose threads spin for a while on every core (about 0.05 s of CPU per command here).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# Imported after the variable is set: numpy reads it on import.
from simulator.cli import main

raise SystemExit(main())
