#!/usr/bin/env python3
"""Measure OpenMined PSI (the `openmined.psi` Python package) step by step.

Peer measurement for blindlink issue 4. For each server set size n and each
false-positive parameter fpr it times, through the package's public Python API:

  server setup         server.CreateSetupMessage(fpr, client_n, items, GCS)
  client request       client.CreateRequest(items)
  server processing    server.ProcessRequest(request)
  client intersection  client.GetIntersection(setup, response)

and reports serialized sizes, bits per server element of the setup message,
whether the GCS hash range the library computed overflowed int64 (see README),
and whether the intersection found equals the planted overlap.

All items are synthetic random 128-bit hex strings; nothing personal.
Run it through run.sh, which provides the virtual environment.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from typing import Callable

import private_set_intersection.python as psi

INT64_MAX = 2**63 - 1
# When max(M, N) * M / fpr exceeds int64, the library's double -> int64 cast yields
# INT64_MIN; the hash is then reduced modulo |INT64_MIN| = 2^63 (observed: the setup
# size per element matches a 2^63 range). We use that as the effective range.
OVERFLOW_EFFECTIVE_RANGE = 2**63


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "load average: %.2f, %.2f, %.2f" % os.getloadavg()


def random_items(rng: random.Random, count: int, prefix: str) -> list[str]:
    """Distinct-with-overwhelming-probability synthetic items (128 random bits each)."""
    return [f"{prefix}{rng.getrandbits(128):032x}" for _ in range(count)]


def timed(fn: Callable[[], object]) -> tuple[object, float, float]:
    """Run fn once; return (result, wall seconds, process CPU seconds)."""
    c0 = time.process_time()
    t0 = time.perf_counter()
    out = fn()
    t1 = time.perf_counter()
    c1 = time.process_time()
    return out, t1 - t0, c1 - c0


def requested_hash_range(n: int, m: int, fpr: float) -> int:
    """The GCS hash range the library asks for: max(M, N) / (fpr / M)."""
    return int(max(m, n) / (fpr / m))


def measure(n: int, m: int, overlap: int, fpr: float, repeats: int, seed: int) -> dict:
    rng = random.Random(seed ^ n)
    server_items = random_items(rng, n, "s")
    shared = rng.sample(range(n), overlap)
    client_items = [server_items[i] for i in shared] + random_items(rng, m - overlap, "c")
    order = list(range(m))
    rng.shuffle(order)
    client_items = [client_items[i] for i in order]
    expected = {pos for pos, src in enumerate(order) if src < overlap}

    runs = []
    for _ in range(repeats):
        server = psi.server.CreateWithNewKey(True)
        client = psi.client.CreateWithNewKey(True)
        setup, t_setup, c_setup = timed(
            lambda: server.CreateSetupMessage(fpr, m, server_items, psi.DataStructure.GCS)
        )
        request, t_req, c_req = timed(lambda: client.CreateRequest(client_items))
        response, t_proc, c_proc = timed(lambda: server.ProcessRequest(request))
        found, t_int, c_int = timed(lambda: client.GetIntersection(setup, response))
        runs.append(
            {
                "setup": setup,
                "request": request,
                "response": response,
                "found": set(found),
                "t": (t_setup, t_req, t_proc, t_int),
                "c": (c_setup, c_req, c_proc, c_int),
            }
        )

    last = runs[-1]
    setup_bytes = len(last["setup"].SerializeToString())
    request_bytes = len(last["request"].SerializeToString())
    response_bytes = len(last["response"].SerializeToString())
    gcs = last["setup"].gcs
    wanted_range = requested_hash_range(n, m, fpr)
    overflow = wanted_range > INT64_MAX
    effective_range = OVERFLOW_EFFECTIVE_RANGE if overflow else gcs.hash_range
    # Expected false matches per request: each of the M - overlap non-members hits one
    # of N uniformly spread server hashes with probability about N / range.
    expected_fp = (m - overlap) * n / effective_range
    fp_tolerance = 0 if expected_fp < 0.01 else math.ceil(10 * expected_fp + 3)
    all_ok = True
    false_positives = []
    for run in runs:
        missed = expected - run["found"]
        extra = len(run["found"] - expected)
        false_positives.append(extra)
        all_ok &= not missed and extra <= fp_tolerance

    med = [statistics.median(r["t"][k] for r in runs) for k in range(4)]
    cpu = [statistics.median(r["c"][k] for r in runs) for k in range(4)]
    return {
        "n": n,
        "client_n": m,
        "overlap": overlap,
        "server_setup_s": med[0],
        "client_request_s": med[1],
        "server_process_s": med[2],
        "client_intersection_s": med[3],
        "cpu_s": {
            "server_setup": cpu[0],
            "client_request": cpu[1],
            "server_process": cpu[2],
            "client_intersection": cpu[3],
        },
        "us_per_element": {
            "server_setup": med[0] / n * 1e6,
            "client_request": med[1] / m * 1e6,
            "server_process": med[2] / m * 1e6,
            "client_intersection": med[3] / m * 1e6,
        },
        "us_per_element_cpu": {
            "server_setup": cpu[0] / n * 1e6,
            "client_request": cpu[1] / m * 1e6,
            "server_process": cpu[2] / m * 1e6,
            "client_intersection": cpu[3] / m * 1e6,
        },
        "all_runs_s": [list(r["t"]) for r in runs],
        "repeats": repeats,
        "setup_bytes": setup_bytes,
        "request_bytes": request_bytes,
        "response_bytes": response_bytes,
        "setup_bits_per_element": setup_bytes * 8 / n,
        "request_bytes_per_element": request_bytes / m,
        "response_bytes_per_element": response_bytes / m,
        "fpr": fpr,
        "fpr_log2": math.log2(fpr),
        "gcs_div": gcs.div,
        "gcs_hash_range": gcs.hash_range,
        "gcs_hash_range_requested": wanted_range,
        "gcs_hash_range_overflow": overflow,
        "expected_false_positives_per_request": expected_fp,
        "false_positives": false_positives,
        "intersection_ok": bool(all_ok),
    }


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="65536,1048576", help="comma-separated server set sizes")
    p.add_argument(
        "--client-size",
        type=int,
        default=None,
        help="client set size M (default: min(n, 65536) for each n)",
    )
    p.add_argument(
        "--fpr",
        default=repr(2.0**-40),
        help="comma-separated fpr values: total false-positive probability per request (default 2^-40)",
    )
    p.add_argument("--overlap", type=float, default=0.5, help="fraction of the client set drawn from the server set")
    p.add_argument("--repeats-small", type=int, default=3, help="repeats (median) for n <= --small-limit")
    p.add_argument("--small-limit", type=int, default=65536)
    p.add_argument("--seed", type=int, default=20261125)
    p.add_argument("--out", default=None, help="write the JSON result here")
    return p.parse_args(argv)


def print_table(result: dict) -> None:
    print(f"openmined.psi {result['version']} on {result['cpu']} (1 thread)")
    print(f"load before: {result['load']['before']}")
    print(f"load after:  {result['load']['after']}")
    print("us/el = microseconds per element: wall clock, and in brackets process CPU time")
    print("(setup per server element; request, processing, intersection per client element)")
    print(
        f"{'n':>8} {'M':>6} {'fpr':>8} {'setup us/el':>15} {'request us/el':>15} {'process us/el':>15} "
        f"{'intersect us/el':>15} {'setup B':>9} {'bits/el':>7} {'req B':>8} {'resp B':>8} {'ovfl':>4} "
        f"{'E[fp]':>7} {'ok':>3}"
    )
    for s in result["sizes"]:
        u, c = s["us_per_element"], s["us_per_element_cpu"]
        cols = [
            f"{u[k]:6.1f} ({c[k]:5.1f})"
            for k in ("server_setup", "client_request", "server_process", "client_intersection")
        ]
        print(
            f"{s['n']:>8} {s['client_n']:>6} {s['fpr']:>8.1e} {cols[0]:>15} {cols[1]:>15} {cols[2]:>15} "
            f"{cols[3]:>15} {s['setup_bytes']:>9} {s['setup_bits_per_element']:>7.2f} "
            f"{s['request_bytes']:>8} {s['response_bytes']:>8} "
            f"{'yes' if s['gcs_hash_range_overflow'] else 'no':>4} "
            f"{s['expected_false_positives_per_request']:>7.0e} {'yes' if s['intersection_ok'] else 'NO':>3}"
        )


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",") if x]
    fprs = [float(x) for x in args.fpr.split(",") if x]
    if not sizes or any(n <= 0 for n in sizes) or not fprs or any(not 0 < f < 1 for f in fprs):
        print("sizes must be positive and each fpr in (0, 1)", file=sys.stderr)
        return 2
    if not 0 <= args.overlap <= 1:
        print("--overlap must be in [0, 1]", file=sys.stderr)
        return 2

    load_before = uptime()
    entries = []
    for n in sizes:
        m = args.client_size if args.client_size is not None else min(n, 65536)
        overlap = min(n, int(m * args.overlap))
        repeats = args.repeats_small if n <= args.small_limit else 1
        for fpr in fprs:
            print(f"measuring n={n} M={m} fpr={fpr:.3e} repeats={repeats} ...", file=sys.stderr, flush=True)
            entries.append(measure(n, m, overlap, fpr, repeats, args.seed))
    load_after = uptime()

    result = {
        "library": "openmined.psi",
        "version": psi.__version__,
        "cpu": cpu_model(),
        "threads": 1,
        "logical_cpus": os.cpu_count(),
        "python": platform.python_version(),
        "data_structure": "GCS",
        "reveal_intersection": True,
        "timing": "wall clock (time.perf_counter) of the public Python API call, median over repeats",
        "load": {"before": load_before, "after": load_after},
        "sizes": entries,
    }
    print_table(result)
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
