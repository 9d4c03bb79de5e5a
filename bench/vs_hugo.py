#!/usr/bin/env python3
"""Orbis against Hugo on the same synthetic site, in one run: wall time, CPU time, peak memory, pages/s.

usage: bench/vs_hugo.py [ORBIS_BINARY] [--sizes 1000,10000] [--large] [--runs 3] [--partners 500]
                        [--profiles realistic,simple]
For each profile of bench/generate_site.py (realistic pages, then the first benchmark's simple ones),
generates each site once (fixed seed) under .build/bench/, then builds it with orbis
and with hugo (when installed: apt-get install hugo), alternating: RUNS times each into a folder that does not
exist yet ("fresh"), then RUNS times each into its existing output ("rebuild": Hugo overwrites its files in
place, Orbis updates only what changed), then RUNS times each after editing one page's text ("edit": a
sentence appended to the same page in both sites), and RUNS times each into a new folder in /dev/shm ("fresh, tmpfs":
the same work without ext4's inode allocation). Fresh outputs go to new folders and are deleted only after the last
measurement: on ext4, creating files right after deleting thousands makes the kernel search for inodes that
were not just freed (seconds at 10,000 pages, for both tools), which would measure the benchmark's own
`rm -rf` rather than the tools. Peak memory and CPU time
come from the kernel's accounting of each child (wait4). Checks both outputs hold the expected number of
pages. Prints a table with medians and orbis/hugo ratios, orbis's own stage timings, and the floor:
libcmark alone over the same Markdown on one thread (bench/cmark_floor.c, compiled here with cc).
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SECTIONS = 20
TMPFS = "/dev/shm"
KINDS = ("fresh", "fresh, tmpfs", "rebuild", "edit")


def run(command):
    """Runs `command`; returns (wall s, cpu s, peak RSS MB, stdout)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = "", ""
    # Read before waiting so a chatty child cannot block on a full pipe.
    out, err = process.stdout.read(), process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit("%s failed (%d):\n%s%s" % (" ".join(command), process.returncode, out[-2000:], err[-2000:]))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


def count_pages(folder):
    return sum(1 for _, _, files in os.walk(folder) for f in files if f == "index.html")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default=os.path.join(REPO, ".build/release/orbis"))
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--large", action="store_true", help="also 50,000 pages")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--partners", type=int, default=500)
    parser.add_argument("--profiles", default="realistic,simple")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] + ([50000] if args.large else [])
    hugo = shutil.which("hugo")
    if not hugo:
        print("hugo is not installed (apt-get install hugo): measuring orbis alone")
    work = os.path.join(REPO, ".build/bench")
    fresh_root = os.path.join(work, "fresh")
    # Leftovers of an earlier run are set aside (a rename), deleted at the end with this run's.
    retired = fresh_root + "-old-%d" % os.getpid()
    if os.path.exists(fresh_root):
        os.rename(fresh_root, retired)
    os.makedirs(fresh_root)
    floor_binary = os.path.join(work, "cmark_floor")
    os.makedirs(work, exist_ok=True)
    subprocess.run(["cc", "-O2", "-o", floor_binary, os.path.join(HERE, "cmark_floor.c"), "-lcmark"], check=True)
    rows = []
    for profile, pages in [(p, n) for p in args.profiles.split(",") for n in sizes]:
        site = os.path.join(work, "%s-%d" % (profile, pages))
        hugo_site = os.path.join(work, "hugo-%s-%d" % (profile, pages))
        stamp = site + ".generated"
        if not os.path.exists(stamp):
            print("generating %d %s pages and %d partners…" % (pages, profile, args.partners), flush=True)
            subprocess.run([sys.executable, os.path.join(HERE, "generate_site.py"), str(pages), str(args.partners),
                            site, hugo_site, "--profile", profile], check=True)
            open(stamp, "w").close()
        expected = pages + SECTIONS + 1 + args.partners + 1
        out_dir = os.path.join(work, "out-orbis-%s-%d" % (profile, pages))
        hugo_out = os.path.join(work, "out-hugo-%s-%d" % (profile, pages))
        orbis_cmd = [args.binary, "build", "--root", site, "--output", out_dir]
        hugo_cmd = [hugo, "--source", hugo_site, "--destination", hugo_out, "--quiet"] if hugo else None

        def fresh_folder(tool, run_index):
            return os.path.join(fresh_root, "%s-%s-%d-%d" % (tool, profile, pages, run_index))

        # Into folders that do not exist yet, alternating.
        results = {(kind, tool): [] for kind in KINDS for tool in ("orbis", "hugo")}
        fresh_stages = ""
        for index in range(args.runs):
            wall, cpu, rss, out = run([args.binary, "build", "--root", site, "--output", fresh_folder("orbis", index)])
            results[("fresh", "orbis")].append((wall, cpu, rss))
            fresh_stages = out
            if hugo:
                results[("fresh", "hugo")].append(run([hugo, "--source", hugo_site, "--destination",
                                                       fresh_folder("hugo", index), "--quiet"])[:3])
        # The same into new folders in memory (tmpfs), when there is one: what the tools do, without the file
        # system's inode search (on this machine's ext4 the same fresh build swings by seconds with how many
        # files were deleted in the last minutes; see docs/performance.md).
        if os.path.isdir(TMPFS):
            for index in range(args.runs):
                for tool, command in (("orbis", lambda o: [args.binary, "build", "--root", site, "--output", o]),
                                      ("hugo", lambda o: [hugo, "--source", hugo_site, "--destination", o, "--quiet"])):
                    if tool == "hugo" and not hugo:
                        continue
                    folder = os.path.join(TMPFS, "orbis-bench-%s-%d-%d" % (tool, os.getpid(), index))
                    try:
                        results[("fresh, tmpfs", tool)].append(run(command(folder))[:3])
                    finally:
                        for leftover in (folder, folder + ".manifest.json", folder + ".build-record"):
                            if os.path.isdir(leftover):
                                shutil.rmtree(leftover)
                            elif os.path.exists(leftover):
                                os.remove(leftover)
        # Rebuilds into an existing output, alternating: what a user does most. The output of an earlier
        # benchmark run is reused (built once first if missing).
        if not os.path.exists(out_dir + ".manifest.json"):
            run(orbis_cmd)
        if hugo and not os.path.exists(hugo_out):
            run(hugo_cmd)
        stages = ""
        for _ in range(args.runs):
            wall, cpu, rss, out = run(orbis_cmd)
            results[("rebuild", "orbis")].append((wall, cpu, rss))
            stages = out
            if hugo:
                results[("rebuild", "hugo")].append(run(hugo_cmd)[:3])
        # One page's text edited, then a build, alternating; the page is restored at the end.
        edited = "s03/p%05d.md" % (3 if pages > 3 else 0)
        sources = [os.path.join(site, "Content", edited)] + ([os.path.join(hugo_site, "content", edited)] if hugo else [])
        originals = [open(path, encoding="utf-8").read() for path in sources]
        edit_stages = ""
        try:
            for index in range(args.runs):
                for path, text in zip(sources, originals):
                    with open(path, "w", encoding="utf-8") as f:
                        f.write(text + "\nEdited for run %d of the benchmark.\n" % index)
                wall, cpu, rss, out = run(orbis_cmd)
                results[("edit", "orbis")].append((wall, cpu, rss))
                edit_stages = out
                if hugo:
                    results[("edit", "hugo")].append(run(hugo_cmd)[:3])
        finally:
            for path, text in zip(sources, originals):
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
        run(orbis_cmd)
        floor = subprocess.run([floor_binary, os.path.join(site, "Content")], check=True, capture_output=True, text=True).stdout.split()
        found = count_pages(out_dir)
        if found != expected:
            sys.exit("orbis wrote %d pages, expected %d" % (found, expected))
        if hugo and count_pages(hugo_out) != expected:
            sys.exit("hugo wrote %d pages, expected %d" % (count_pages(hugo_out), expected))
        for index in range(args.runs):
            if count_pages(fresh_folder("orbis", index)) != expected:
                sys.exit("orbis wrote %d pages into a new folder, expected %d" % (count_pages(fresh_folder("orbis", index)), expected))
        rows.append((profile, pages, results, {"fresh": fresh_stages, "rebuild": stages, "edit": edit_stages}, floor))

    print()
    print("| profile | pages | build | tool | wall s | CPU s | peak RSS MB | pages/s | wall orbis/hugo | CPU orbis/hugo | RSS orbis/hugo |")
    print("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for profile, pages, results, _, floor in rows:
        for kind in KINDS:
            medians = {}
            for tool in ("orbis", "hugo"):
                runs = results.get((kind, tool)) or []
                if runs:
                    medians[tool] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs),
                                     max(r[2] for r in runs))
            for tool, (wall, cpu, rss) in medians.items():
                ratio = " | "
                ratio = " |  | "
                if tool == "orbis" and "hugo" in medians:
                    h = medians["hugo"]
                    ratio = "%.2f | %.2f | %.2f" % (wall / h[0], cpu / h[1], rss / h[2])
                print("| %s | %d | %s | %s | %.2f | %.2f | %.0f | %.0f | %s |" % (profile, pages, kind, tool, wall, cpu, rss, pages / wall, ratio))
        files, size_in, _, seconds = floor
        print("| %s | %d | floor | libcmark alone, 1 thread | | %.2f | | %.0f | |  |  |" % (profile, pages, float(seconds), int(files) / float(seconds)))
    print()
    for profile, pages, _, stages, floor in rows:
        for kind, out in stages.items():
            timings = re.findall(r"^(Loaded|Rendered|Checked|Wrote|Updated|Built).*? in ([\d.]+ m?s)", out, re.M)
            print("orbis stages, %s, %d pages (%s): %s" % (profile, pages, kind, ", ".join("%s %s" % t for t in timings)))
        print("libcmark floor, %s, %d pages: %s files, %.1f MB of Markdown, %s s on one thread" % (profile, pages, floor[0], int(floor[1]) / 1e6, floor[3]))
    # Deleting now cannot slow any measured build.
    shutil.rmtree(fresh_root, ignore_errors=True)
    shutil.rmtree(retired, ignore_errors=True)


if __name__ == "__main__":
    main()
