#!/usr/bin/env python3
"""Re-checks a stored allocation run from what the API returns. Reads on stdin
{"total_score": N, "edges": [...]} — the run's total and every page of
GET /api/v1/matching/runs/{id}/edges, each edge with need_id, resource_id, score, capacity,
flow, need_quantity and resource_quantity (the quantities the run saw). Builds the instance
from those edges alone (an item without an edge cannot receive anything), solves it with
networkx (check_optimal.networkx_optimum) and prints {"networkx": total, "run": total_score,
"feasible": bool}. Exit 1 when the allocation is infeasible or not optimal."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_optimal import networkx_optimum  # noqa: E402


def main():
    run = json.load(sys.stdin)
    edges = run["edges"]
    need_q, res_q = {}, {}
    ok = True
    for e in edges:
        # one quantity per item: every edge of an item must report the same
        ok &= need_q.setdefault(e["need_id"], e["need_quantity"]) == e["need_quantity"]
        ok &= res_q.setdefault(e["resource_id"], e["resource_quantity"]) == e["resource_quantity"]
    ni = {i: k for k, i in enumerate(need_q)}
    ri = {i: k for k, i in enumerate(res_q)}
    inst = {"needs": list(need_q.values()), "resources": list(res_q.values()),
            "edges": [[ni[e["need_id"]], ri[e["resource_id"]], e["score"], e["capacity"]]
                      for e in edges]}
    total, _, _ = networkx_optimum(inst)
    used_n, used_r, own = [0] * len(ni), [0] * len(ri), 0
    for e in edges:
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
