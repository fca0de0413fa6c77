#!/usr/bin/env python3
"""Re-checks a stored allocation run: reads GET /api/v1/matching/runs/{id} JSON on stdin, builds
the instance from ITS OWN items and edges, solves it with networkx (check_optimal.networkx_optimum)
and prints {"networkx": total, "run": total_score, "feasible": bool}. Exit 1 when they differ."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_optimal import networkx_optimum  # noqa: E402


def main():
    run = json.load(sys.stdin)
    needs = [i for i in run["items"] if i["kind"] == "need"]
    resources = [i for i in run["items"] if i["kind"] == "resource"]
    ni = {it["item_id"]: k for k, it in enumerate(needs)}
    ri = {it["item_id"]: k for k, it in enumerate(resources)}
    inst = {"needs": [it["quantity"] for it in needs],
            "resources": [it["quantity"] for it in resources],
            "edges": [[ni[e["need_id"]], ri[e["resource_id"]], e["score"], e["capacity"]]
                      for e in run["edges"]]}
    total, _, _ = networkx_optimum(inst)
    used_n, used_r, ok, own = [0] * len(needs), [0] * len(resources), True, 0
    for e in run["edges"]:
        ok &= 0 <= e["flow"] <= e["capacity"]
        used_n[ni[e["need_id"]]] += e["flow"]
        used_r[ri[e["resource_id"]]] += e["flow"]
        own += e["flow"] * e["score"]
    ok &= all(u <= q for u, q in zip(used_n, inst["needs"]))
    ok &= all(u <= q for u, q in zip(used_r, inst["resources"]))
    ok &= own == run["total_score"]
    print(json.dumps({"networkx": total, "run": run["total_score"], "feasible": bool(ok)}))
    return 0 if ok and total == run["total_score"] else 1


if __name__ == "__main__":
    sys.exit(main())
