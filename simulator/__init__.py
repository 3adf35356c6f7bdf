"""podviz's deterministic Kubernetes simulation engine (pure Python, no Django).

Public entry points: ``simulator.engine.simulation.Simulation`` and
``simulator.engine.simulation.run_scenario``; docs/architecture.md lists the whole surface.
"""
