"""Object metadata shared by every kind: the one namespace the simulated cluster has."""

NAMESPACE = "default"
