#!/usr/bin/env python3
"""capplan against glpsol and HiGHS on the same capacity MIPs (and LPs), in one run per size.

For each shape and size it generates a scenario (`capplan generate --integers`), writes its model
with `capplan solve --write FILE.mps --no-solve`, and solves it with:
- capplan (`solve --progress`, the rounding heuristic then GLPK's branch-and-cut),
- capplan with `--no-rounding` (GLPK's branch-and-cut alone, today's baseline) when asked,
- glpsol --cuts on the MPS file,
- HiGHS (highspy) on the same MPS file.
Each run is timed on this script's wall clock, reading the solver's output as it comes, so the
time to the first feasible plan is measured the same way for all three. Prints one JSON line per
run and a Markdown table at the end.

Shapes: `generated` is `capplan generate --integers` as is; `tight` makes installs lumpier
(install blocks x4) and power scarcer (every site's power x0.93 after the first quarter), so that
rounding blocks is harder and power binds more often.

    swift build -c release --product capplan
    python3 Benchmarks/mip-scale/run.py --capplan .build/release/capplan --sites 10,50,200 --limit 600

Two-stage models over demand cases (`generate --demand-cases K`): `--demand-cases 1,3,5,10` runs each
size once per K; capplan then solves with `--skip-evpi-vss` (the same single model the others get;
EVPI and VSS are extra solves, timed separately with `--with-evpi-vss`).

    python3 Benchmarks/mip-scale/run.py --sites 10,50 --shapes generated --lp --demand-cases 1,3,5,10
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

import yaml

GAP = 1e-4


def timed_lines(cmd, env=None, limit=None):
    """Runs cmd, yielding (seconds since start, line) for each output line; returns the exit code."""
    start = time.monotonic()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1, env=env)
    lines = []
    killer = None
    if limit:
        # A solver that ignores its own limit is stopped a minute after it.
        killer = threading.Timer(limit + 60, proc.kill)
        killer.start()
    for line in proc.stdout:
        lines.append((time.monotonic() - start, line.rstrip("\n")))
    proc.wait()
    if killer:
        killer.cancel()
    return lines, proc.returncode, time.monotonic() - start


def rel_gap(objective, bound):
    if objective is None or bound is None:
        return None
    return abs(bound - objective) / (abs(objective) + 1e-12)


def run_capplan(capplan, scenario, limit, rounding=True, extra=()):
    plan_path = tempfile.mktemp(suffix=".json")
    cmd = [capplan, "solve", scenario, "--time-limit", str(limit), "--gap", str(GAP), "--progress",
           "--format", "json"] + list(extra)
    if not rounding:
        cmd.append("--no-rounding")
    # stdout is the plan; progress lines go to stderr, which is read line by line.
    start = time.monotonic()
    with open(plan_path, "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, text=True, bufsize=1)
        first = None
        pattern = re.compile(r"plan EBIT \$([-\d,.]+)M(?:  bound \$([-\d,.]+)M)?(?:  gap ([\d.]+)%)?")
        for line in proc.stderr:
            m = pattern.search(line)
            if m and first is None:
                obj = float(m.group(1).replace(",", ""))
                bound = float(m.group(2).replace(",", "")) if m.group(2) else None
                first = (time.monotonic() - start, obj, bound)
        proc.wait()
    wall = time.monotonic() - start
    try:
        with open(plan_path) as f:
            plan = json.load(f)
    except (OSError, json.JSONDecodeError):
        plan = {"status": "no plan", "solver": {}}
    os.unlink(plan_path)
    solver = plan.get("solver", {})
    status = plan.get("status")
    result = {
        "solver": ("capplan" if rounding else "capplan --no-rounding") + "".join(" " + e for e in extra),
        "status": status, "wall": wall,
        "objective": solver.get("objective"), "bound": solver.get("best_bound"), "gap": solver.get("gap"),
        "first_seconds": first[0] if first else None,
        "first_objective": first[1] if first else None,
        "first_bound": first[2] if first else None,
        "nodes": solver.get("nodes"),
        "method": solver.get("method"), "iterations": solver.get("iterations"),
        "solver_seconds": solver.get("seconds"),
    }
    if solver.get("first_plan"):
        result["first_rule"] = solver["first_plan"]["rule"]
    result["to_gap_seconds"] = wall if status in ("optimal", "feasible_with_gap") else None
    return result


def run_glpsol(mps, limit, is_mip):
    # GLPK's MPS reader knows no OBJSENSE section (capplan writes one so that other readers
    # maximize): glpsol gets the file without it, and --max.
    plain = mps.replace(".mps", "-glpsol.mps")
    with open(mps) as src, open(plain, "w") as dst:
        skip = False
        for line in src:
            if line.startswith("OBJSENSE"):
                skip = True
                continue
            if skip and line.startswith(" "):
                continue
            skip = False
            dst.write(line)
    cmd = ["glpsol", "--mps", plain, "--max", "--tmlim", str(int(limit))]
    if is_mip:
        cmd += ["--cuts", "--mipgap", str(GAP)]
    lines, _, wall = timed_lines(cmd, limit=limit)
    first = None
    last = None
    pattern = re.compile(r"mip =\s+([-\d.e+]+)\s+<=\s+([-\d.e+]+|tree is empty)\s+([\d.]+)?%?")
    done = None
    for t, line in lines:
        m = pattern.search(line)
        if m:
            obj = float(m.group(1))
            bound = None if m.group(2) == "tree is empty" else float(m.group(2))
            if first is None:
                first = (t, obj, bound)
            last = (obj, bound)
        # For a MIP, glpsol's "OPTIMAL LP SOLUTION FOUND" is only its root relaxation.
        if "INTEGER OPTIMAL SOLUTION FOUND" in line or "RELATIVE MIP GAP TOLERANCE REACHED" in line \
                or (not is_mip and "OPTIMAL LP SOLUTION FOUND" in line):
            done = t
    objective, bound = (last if last else (None, None))
    if not is_mip:
        for _, line in lines:
            m = re.search(r"Objective:\s+\S+\s+=\s+([-\d.e+]+)", line)
            if m:
                objective = float(m.group(1))
    gap = rel_gap(objective, bound) if is_mip and bound is not None else (0.0 if done else None)
    return {
        "solver": "glpsol", "status": "done" if done else "limit", "wall": wall,
        "objective": objective, "bound": bound, "gap": gap,
        "first_seconds": first[0] if first else None,
        "first_objective": first[1] if first else None,
        "first_bound": first[2] if first else None,
        "to_gap_seconds": done,
    }


HIGHS_CHILD = r"""
import sys, highspy
h = highspy.Highs()
h.setOptionValue("time_limit", float(sys.argv[2]))
h.setOptionValue("mip_rel_gap", float(sys.argv[3]))
h.readModel(sys.argv[1])
h.changeObjectiveSense(highspy.ObjSense.kMaximize)
# GLPK writes the objective's constant as the objective row's RHS with the constant's own sign;
# HiGHS reads an RHS there as minus the constant. Flipped, the objectives of all three agree.
h.changeObjectiveOffset(-h.getLp().offset_)
h.run()
info = h.getInfo()
print("RESULT", h.modelStatusToString(h.getModelStatus()), info.objective_function_value,
      info.mip_dual_bound, info.mip_gap, info.mip_node_count, flush=True)
"""


def run_highs(mps, limit, is_mip):
    lines, _, wall = timed_lines([sys.executable, "-c", HIGHS_CHILD, mps, str(limit), str(GAP)], limit=limit)
    first = None
    status = objective = bound = gap = None
    for t, line in lines:
        # B&B rows: "... BestBound BestSol Gap ..." with a solution once BestSol is a number.
        cells = line.split()
        if first is None and is_mip and len(cells) > 8 and cells[-1].endswith("s") and "%" in line:
            numbers = [c for c in cells if re.fullmatch(r"-?\d+(\.\d+)?(e[-+]\d+)?", c)]
            if "inf" not in cells and len(numbers) >= 6:
                first = (t, None, None)
        if line.startswith("RESULT"):
            parts = line.split()
            status = parts[1]
            objective, bound, gap = float(parts[2]), float(parts[3]), float(parts[4])
            done_at = t
    if not is_mip:
        gap = 0.0 if status == "Optimal" else None
    return {
        "solver": "HiGHS", "status": status, "wall": wall,
        "objective": objective, "bound": bound if is_mip else objective, "gap": gap,
        "first_seconds": first[0] if first else (wall if status == "Optimal" else None),
        "to_gap_seconds": wall if status == "Optimal" else None,
    }


def tighten(path, out):
    with open(path) as f:
        scenario = yaml.safe_load(f)
    for hw in scenario.get("hardware", []):
        if hw.get("install_block_mw"):
            hw["install_block_mw"] = hw["install_block_mw"] * 4
    for site in scenario.get("sites", []):
        power = site.get("power_mw")
        if isinstance(power, list):
            site["power_mw"] = [p if i == 0 else round(p * 0.93, 3) for i, p in enumerate(power)]
        elif isinstance(power, dict):
            keys = list(power.keys())
            site["power_mw"] = {k: (v if i == 0 else round(v * 0.93, 3)) for i, (k, v) in enumerate(power.items())}
    scenario["scenario"] = scenario["scenario"] + "-tight"
    with open(out, "w") as f:
        yaml.safe_dump(scenario, f, sort_keys=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--capplan", default=".build/release/capplan")
    ap.add_argument("--sites", default="10,50,200")
    ap.add_argument("--shapes", default="generated,tight")
    ap.add_argument("--limit", type=float, default=600)
    ap.add_argument("--lp", action="store_true", help="the LPs (no --integers) instead of the MIPs")
    ap.add_argument("--solvers", default="capplan,glpsol,highs",
                    help="any of capplan, capplan:METHOD (capplan with --method METHOD), "
                         "capplan-alone (GLPK without the rounding), glpsol, highs")
    ap.add_argument("--workdir", default=tempfile.mkdtemp(prefix="mip-scale-"))
    ap.add_argument("--demand-cases", default=None,
                    help="comma-separated K: each scenario gets K demand cases (two-stage model)")
    ap.add_argument("--with-evpi-vss", action="store_true",
                    help="with --demand-cases: capplan also makes the EVPI and VSS solves")
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    rows = []
    case_counts = [int(k) for k in args.demand_cases.split(",")] if args.demand_cases else [None]
    for shape, sites, cases in [(sh, int(si), k) for sh in args.shapes.split(",")
                                for si in args.sites.split(",") for k in case_counts]:
        suffix = f"{'-lp' if args.lp else ''}{f'-c{cases}' if cases else ''}"
        base = os.path.join(args.workdir, f"g{sites}{suffix}.yaml")
        cmd = [args.capplan, "generate", "--sites", str(sites), "--periods", "12", "--out", base]
        if not args.lp:
            cmd.append("--integers")
        if cases:
            cmd += ["--demand-cases", str(cases)]
        subprocess.run(cmd, check=True)
        scenario = base
        if shape == "tight":
            scenario = base.replace(".yaml", "-tight.yaml")
            tighten(base, scenario)
        mps = scenario.replace(".yaml", ".mps")
        written = subprocess.run([args.capplan, "solve", scenario, "--write", mps, "--no-solve"],
                                 check=True, capture_output=True, text=True).stderr.strip()
        for solver in args.solvers.split(","):
            extra = ["--skip-evpi-vss"] if cases and not args.with_evpi_vss else []
            if solver == "capplan":
                r = run_capplan(args.capplan, scenario, args.limit, extra=extra)
            elif solver.startswith("capplan:"):
                # capplan:METHOD, e.g. capplan:interior-crossover or capplan:race.
                r = run_capplan(args.capplan, scenario, args.limit,
                                extra=["--method", solver.split(":", 1)[1], *extra])
            elif solver == "capplan-alone":
                r = run_capplan(args.capplan, scenario, args.limit, rounding=False, extra=extra)
            elif solver == "glpsol":
                r = run_glpsol(mps, args.limit, not args.lp)
            elif solver == "highs":
                r = run_highs(mps, args.limit, not args.lp)
            else:
                raise SystemExit(f"unknown solver {solver}")
            r.update({"shape": shape, "sites": sites, "cases": cases, "model": written, "limit": args.limit})
            print(json.dumps(r), flush=True)
            rows.append(r)
    # The best bound any solver proved, and the best plan any found, per instance: first plans'
    # gaps are measured against the best bound, so all solvers are judged on the same yardstick.
    best = {}
    for r in rows:
        key = (r["shape"], r["sites"], r["cases"])
        b = best.setdefault(key, {"bound": float("inf"), "objective": -float("inf")})
        if r.get("bound") is not None and r.get("gap") is not None:
            b["bound"] = min(b["bound"], r["bound"])
        if r.get("objective") is not None:
            b["objective"] = max(b["objective"], r["objective"])
    print()
    print("| shape | sites | cases | model | solver | first plan s | first plan below best bound | "
          "time to gap 1e-4 s | final gap | final objective | status |")
    print("|---|---:|---:|---|---|---:|---:|---:|---:|---:|---|")
    for r in rows:
        b = best[(r["shape"], r["sites"], r["cases"])]
        size = re.search(r"(\d+) rows, (\d+) columns, (\d+) non-zeros, (\d+) integer", r["model"])
        model = f"{size.group(1)} x {size.group(2)}, {size.group(3)} nz, {size.group(4)} int" if size else "-"
        first_gap = rel_gap(r.get("first_objective"), b["bound"]) if r.get("first_objective") else None
        fmt = lambda x, f: "-" if x is None else f.format(x)
        print(f"| {r['shape']} | {r['sites']} | {r['cases'] or '-'} | {model} | {r['solver']} | {fmt(r.get('first_seconds'), '{:.1f}')} | "
              f"{fmt(first_gap, '{:.3%}')} | {fmt(r.get('to_gap_seconds'), '{:.1f}')} | "
              f"{fmt(r.get('gap'), '{:.2e}')} | {fmt(r.get('objective'), '{:,.2f}')} | {r.get('status')} |")
    # The rounding against GLPK alone (`--solvers capplan,capplan-alone`), same instance, same run.
    for key in best:
        with_rounding = [r for r in rows if (r["shape"], r["sites"], r["cases"]) == key
                         and r["solver"].startswith("capplan") and "--no-rounding" not in r["solver"]
                         and "--method" not in r["solver"]]
        alone = [r for r in rows if (r["shape"], r["sites"], r["cases"]) == key
                 and r["solver"].startswith("capplan --no-rounding")]
        if not with_rounding or not alone:
            continue
        a, b = with_rounding[0], alone[0]
        fmt = lambda x, f: "none" if x is None else f.format(x)
        ratio = (f"{a['first_seconds'] / b['first_seconds']:.2f}x GLPK alone's time"
                 if a.get("first_seconds") and b.get("first_seconds") else "GLPK alone had none")
        print(f"\n{key[0]} {key[1]} sites, {key[2] or 1} case(s), limit {a['limit']:.0f} s: first plan "
              f"{fmt(a.get('first_seconds'), '{:.1f} s')} with the rounding, "
              f"{fmt(b.get('first_seconds'), '{:.1f} s')} GLPK alone ({ratio}); gap at the end "
              f"{fmt(a.get('gap'), '{:.2e}')} ({a.get('status')}) against {fmt(b.get('gap'), '{:.2e}')} "
              f"({b.get('status')})")


if __name__ == "__main__":
    main()
