"""Parameter sweeps: one scenario run for every combination of field values, in parallel."""
