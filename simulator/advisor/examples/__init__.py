"""Example manifests to try the advisor on (``python -m simulator check``, the check page).

``EXAMPLES`` maps an example's name to its file: a Kubernetes YAML document stream.
"""

from pathlib import Path

_HERE = Path(__file__).resolve().parent

EXAMPLES: dict[str, Path] = {
    # A web frontend modelled on a public microservices demo's: readiness and liveness ask the
    # same health path (docs/advisor.md, "A sample").
    "storefront": _HERE / "storefront.yaml",
}
