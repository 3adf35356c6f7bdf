"""What the advisor, sweeps and reports share about independent engine runs: the figures read
from a run's results (detection, recovery, restarts, the pods a fault hit) and running many runs
on a Dask distributed cluster."""
