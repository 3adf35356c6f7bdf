"""podviz's deterministic Kubernetes simulation engine (pure Python, no Django).

Public entry points: ``simulator.simulation.Simulation`` and ``simulator.simulation.run_scenario``.
"""
