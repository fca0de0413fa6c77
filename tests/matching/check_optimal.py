#!/usr/bin/env python3
"""Optimality check of the matching engine's global allocation.

Generates random allocation instances (needs, resources, candidate edges with integer scores
and capacities), solves each with `tongxin matching solve` and with networkx's min_cost_flow
(an independent network simplex), and requires the SAME total score, exactly (integer costs).
It also checks that the allocation respects every capacity and that its total is what it says.

    python3 tests/matching/check_optimal.py [--bin build/tongxin] [--sizes 30,200] [--seeds 5]

Exit status 0 when every instance agrees; 1 with the first disagreement printed.
"""
import argparse
import json
import random
import subprocess
import sys
import tempfile
import time

import networkx as nx


def make_instance(n_needs, n_resources, k, seed, negative=True):
    """Random instance: ~k candidate edges per need, some with non-positive scores; odd seeds
    make resources scarce (needs compete), even seeds plentiful."""
    rng = random.Random(seed)
    top = 10 if seed % 2 else 60
    needs = [rng.choice([0, rng.randint(1, 50)]) if rng.random() < 0.05 else rng.randint(1, 50)
             for _ in range(n_needs)]
    resources = [rng.randint(0, top) for _ in range(n_resources)]
    edges = []
    for i in range(n_needs):
        for _ in range(rng.randint(0, 2 * k)):
            j = rng.randrange(n_resources)
            low = -2000 if negative else 1
            edges.append([i, j, rng.randint(low, 10000), rng.randint(0, 60)])
    return {"needs": needs, "resources": resources, "edges": edges}


def special_instances():
    """Edge cases of the solver's early stop and repair: ties everywhere, one huge need among
    small ones, nothing to allocate, needs without edges, and a contested 1,000 x 1,000
    instance (the flow-only benchmark's shape) where the shortest-path repair does the end."""
    rng = random.Random(42)
    ties = {"needs": [rng.randint(1, 20) for _ in range(150)],
            "resources": [rng.randint(1, 20) for _ in range(150)],
            "edges": [[i, rng.randrange(150), rng.choice([5, 5, 5, 7]), rng.randint(1, 20)]
                      for i in range(150) for _ in range(5)]}
    huge = {"needs": [1000000] + [rng.randint(1, 30) for _ in range(99)],
            "resources": [rng.randint(1, 40000) for _ in range(100)],
            "edges": [[i, rng.randrange(100), rng.randint(1, 10000), rng.randint(1, 1000000)]
                      for i in range(100) for _ in range(8)]}
    zero = {"needs": [0] * 20, "resources": [0] * 20,
            "edges": [[i, i, 100, 5] for i in range(20)]}
    lonely = {"needs": [rng.randint(1, 9) for _ in range(60)], "resources": [3] * 30,
              "edges": [[i, rng.randrange(30), rng.randint(1, 99), 9] for i in range(0, 60, 3)]}
    contested = {"needs": [rng.randint(1, 50) for _ in range(1000)],
                 "resources": [rng.randint(1, 50) for _ in range(1000)],
                 "edges": [[i, j, rng.randint(1, 10000), rng.randint(1, 50)]
                           for i in range(1000) for j in rng.sample(range(1000), 20)]}
    return [("ties", ties), ("huge need", huge), ("all zero", zero), ("needs without edges", lonely),
            ("contested 1000", contested)]


def networkx_solves(inst, repeat=1):
    """Maximum total score by networkx (network_simplex, what min_cost_flow calls), with a bypass
    arc so any amount may flow, solved `repeat` times on one graph (built outside the timing).
    Returns one (total, wall seconds, CPU seconds) per solve."""
    g, runs = networkx_graph(inst), []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        cost, _ = nx.network_simplex(g)
        runs.append((-cost, time.perf_counter() - t0, time.process_time() - c0))
    return runs


def networkx_optimum(inst):
    """One networkx solve: (total, wall seconds, CPU seconds)."""
    return networkx_solves(inst)[0]


def networkx_graph(inst):
    """The instance as a networkx min-cost-flow network (minus the scores as weights)."""
    g = nx.DiGraph()
    total = sum(inst["needs"])
    g.add_node("s", demand=-total)
    g.add_node("t", demand=total)
    g.add_edge("s", "t", capacity=total, weight=0)  # what is not allocated
    for i, q in enumerate(inst["needs"]):
        g.add_edge("s", ("n", i), capacity=q, weight=0)
    for j, q in enumerate(inst["resources"]):
        g.add_edge(("r", j), "t", capacity=q, weight=0)
    for e, (i, j, score, cap) in enumerate(inst["edges"]):
        if g.has_edge(("n", i), ("r", j)):
            # a parallel edge: through its own middle node (DiGraph has one edge per pair)
            g.add_edge(("n", i), ("e", e), capacity=cap, weight=-score)
            g.add_edge(("e", e), ("r", j), capacity=cap, weight=0)
        else:
            g.add_edge(("n", i), ("r", j), capacity=cap, weight=-score)
    return g


def tongxin_solve(binary, inst, repeat=1):
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        json.dump(inst, f)
        f.flush()
        out = subprocess.run([binary, "matching", "solve", "--input", f.name,
                              "--repeat", str(repeat)],
                             check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def check_feasible(inst, result):
    """The allocation obeys every limit and its total is the sum of its parts."""
    used_need = [0] * len(inst["needs"])
    used_res = [0] * len(inst["resources"])
    total = 0
    for e, i, j, q in result["allocation"]:
        edge = inst["edges"][e]
        assert edge[0] == i and edge[1] == j, f"edge {e} reported as {i}->{j}"
        assert 0 < q <= edge[3], f"edge {e}: {q} units over capacity {edge[3]}"
        used_need[i] += q
        used_res[j] += q
        total += q * edge[2]
    for i, q in enumerate(used_need):
        assert q <= inst["needs"][i], f"need {i} over-allocated: {q} > {inst['needs'][i]}"
    for j, q in enumerate(used_res):
        assert q <= inst["resources"][j], f"resource {j} over-allocated"
    assert total == result["total_score"], f"reported {result['total_score']}, sum {total}"


def check_bad_input(binary):
    """Malformed or invalid instances are refused with exit status 1 and a message."""
    bad = ['{"needs": [1], "resources": [1], "edges": [[0, 5, 10, 1]]}',  # index out of range
           '{"needs": [-1], "resources": [1], "edges": []}',              # negative quantity
           '{"needs": [1], "resources": [1], "edges": [[0, 0, "x", 1]]}',  # not an integer
           '{"needs": [1], "resources": [1], "edges": [[0, 0, 1]]}',      # short edge
           'not json']
    for doc in bad:
        r = subprocess.run([binary, "matching", "solve", "--input", "-"], input=doc,
                           capture_output=True, text=True)
        assert r.returncode == 1 and r.stderr and not r.stdout, f"accepted: {doc}"


def check_repeat(binary):
    """--repeat N solves N times: the same allocation, and the fastest solve is reported beside
    the first; a count outside 1..100 is refused (status 2, usage on stderr)."""
    inst = make_instance(200, 200, 6, 77)
    once, thrice = tongxin_solve(binary, inst), tongxin_solve(binary, inst, repeat=3)
    assert thrice["repeat"] == 3 and once["repeat"] == 1
    assert thrice["allocation"] == once["allocation"], "a repeated solve changed the allocation"
    assert thrice["best_solve_cpu_ms"] <= thrice["solve_cpu_ms"]
    assert once["best_solve_cpu_ms"] == once["solve_cpu_ms"]
    for bad in ("0", "101", "x"):
        r = subprocess.run([binary, "matching", "solve", "--input", "-", "--repeat", bad],
                           input='{"needs": [], "resources": [], "edges": []}',
                           capture_output=True, text=True)
        assert r.returncode == 2 and "usage" in r.stderr and not r.stdout, f"--repeat {bad}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build/tongxin")
    ap.add_argument("--sizes", default="30,200")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--k", type=int, default=6)
    args = ap.parse_args()
    check_bad_input(args.bin)
    check_repeat(args.bin)
    checked = 0
    for name, inst in special_instances():
        want, _, _ = networkx_optimum(inst)
        got = tongxin_solve(args.bin, inst)
        check_feasible(inst, got)
        if got["total_score"] != want:
            print(f"MISMATCH {name}: tongxin {got['total_score']}, networkx {want}",
                  file=sys.stderr)
            return 1
        checked += 1
    for size in [int(s) for s in args.sizes.split(",")]:
        for seed in range(1, args.seeds + 1):
            inst = make_instance(size, size, args.k, seed * 1001 + size)
            want, _, _ = networkx_optimum(inst)
            got = tongxin_solve(args.bin, inst)
            check_feasible(inst, got)
            if got["total_score"] != want:
                print(f"MISMATCH size={size} seed={seed}: tongxin {got['total_score']}, "
                      f"networkx {want}", file=sys.stderr)
                return 1
            checked += 1
    print(f"check_optimal: {checked} instances, every total equals networkx's optimum")
    return 0


if __name__ == "__main__":
    sys.exit(main())
