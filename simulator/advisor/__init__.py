"""The probe advisor: standard drills run on a real manifest's workloads, findings with the
evidence of those runs, and suggested probe changes judged by running the drill again.

Built on the engine's public surface only (``load_scenario``, ``run_scenario``, the results
document); see docs/advisor.md.
"""
