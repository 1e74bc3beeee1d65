#!/usr/bin/env python3
"""Fits and checks the linking rubric's confidence calibration on measured dev-set runs.

Usage:
  calibration.py fit    RUN [RUN ...] --out src/Attribution/Linking/calibration.json
  calibration.py report RUN [RUN ...]
  calibration.py record RUN [RUN ...] --out src/Attribution/Linking/calibration.json
  calibration.py kinds  RUN [RUN ...]
  calibration.py misses RUN [RUN ...]

RUN is a folder that ../shared/tools/accuracy/measure.sh --keep left for one repository (attr.db, truth/truth.json).
Links are taken as score.py takes them: every link on a labelled commit, except pairs the truth excludes and
pairs of read-only sessions. A link is right when its (commit, session) pair is in the truth.

fit: per inferred link type (co-authored, inferred-by-touch; authored and recorded stay 1.0; the rules of OWN_TABLE_RULES
apart, under "type/rule"), isotonic regression (pool-adjacent-violators) of "right" on the rubric's raw score (the
evidence's "raw"), each block's rate shrunk towards the type's overall rate by two pseudo-links (few links are
not certainty), kept monotone; written as points [raw, confidence] at both ends of each block.
report: the reliability table in buckets of width 0.1 (links, right, observed precision, |observed - midpoint|),
and whether every bucket holding at least 20 links is within 0.1 of its midpoint (the goal).
record: writes that table (per repository and pooled) into the calibration file, for the /calibration page.
kinds: recall and precision per kind of session (main, forked sub-agent, review sub-agent), a sensitivity view.
misses: every labelled pair not linked at 0.5, by what the product read of the session (its own events, after a
fork's replay) against the commit: no edit or commit of its own; commit authored over an hour after its last record
or before its first; edits that miss every file of the commit; else "edited the commit's files in its window".
The first three are pairs no rule can reach without guessing (label noise: Entire lists every session of a
checkpoint, a parent's sub-agents included, for each of its commits).
"""
import argparse
import json
import re
import sqlite3
import sys
from collections import defaultdict

MIN_BUCKET = 20


def by_kind(run):
    """Recall and precision at 0.5 per kind of session (truth.json's session_info kind: main, forked or review
    sub-agent), and overall without sub-agent pairs: Entire lists a parent's commits under its sub-agents too."""
    data = json.load(open(f"{run}/truth/truth.json"))
    info = data.get("session_info", {})
    links = load(run)
    truth, predicted = set(), set()
    for l in links:
        if l["confidence"] >= 0.5:
            predicted.add(l["pair"])
    for sha, sids in data["truth"].items():
        for sid in sids:
            truth.add((sha, sid))
    truth &= load.scored[run]
    kind = lambda pair: info.get(pair[1], {}).get("kind") or "main"
    print(f"\n{run.rstrip('/').split('/')[-1]}: by kind of session at >= 0.5")
    for k in sorted({kind(p) for p in truth}):
        t = {p for p in truth if kind(p) == k}
        pr = {p for p in predicted if kind(p) == k}
        print(f"  {k:<24} pairs {len(t):4d}  found {len(t & pr):4d}  recall {len(t & pr) / len(t):.3f}  precision {len(t & pr) / len(pr) if pr else 0:.3f}")
    t = {p for p in truth if not kind(p).startswith("subagent")}
    pr = {p for p in predicted if not kind(p).startswith("subagent")}
    print(f"  {'without sub-agent pairs':<24} pairs {len(t):4d}  found {len(t & pr):4d}  recall {len(t & pr) / len(t):.3f}  precision {len(t & pr) / len(pr) if pr else 0:.3f}")


def _ts(text):
    from datetime import datetime
    text = text.replace("Z", "+00:00")
    if "." in text:
        head, tail = text.split(".", 1)
        frac = re.match(r"\d+", tail).group(0)
        text = head + "." + frac[:6] + tail[len(frac):]
    return datetime.fromisoformat(text)


def misses(run):
    """Missed labelled pairs at 0.5, classified by what the session's own records say about the commit."""
    from datetime import timedelta
    data = json.load(open(f"{run}/truth/truth.json"))
    info = data.get("session_info", {})
    links = load(run)
    found = {l["pair"] for l in links if l["confidence"] >= 0.5}
    db = sqlite3.connect(f"file:{run}/attr.db?mode=ro", uri=True)
    classes = defaultdict(lambda: defaultdict(int))
    missed = sorted(load.scored[run] - found)
    for sha, sid in missed:
        kind = info.get(sid, {}).get("kind") or "main"
        session = db.execute("SELECT started_ts, ended_ts FROM sessions WHERE session_id = ?", (sid,)).fetchone()
        commit = db.execute("SELECT author_ts FROM commits WHERE lower(sha) = ?", (sha,)).fetchone()
        if session is None or commit is None or session[0] is None:
            classes[kind]["session or commit not read"] += 1
            continue
        files = {r[0] for r in db.execute("SELECT path FROM commit_files WHERE lower(sha) = ?", (sha,))}
        events = db.execute("SELECT kind, path, sha FROM session_events WHERE session_id = ?", (sid,)).fetchall()
        start, end, at = _ts(session[0]), _ts(session[1] or session[0]), _ts(commit[0])
        if not any(k in ("edit", "commit") for k, _, _ in events):
            label = "no edit or commit of its own"
        elif at > end + timedelta(hours=1) or at < start:
            label = "commit outside its records (over 1 h after, or before)"
        elif not any(k == "edit" and p in files for k, p, _ in events) and not any((x or "").lower().startswith(sha[:7]) for _, _, x in events):
            label = "its edits miss every file of the commit"
        else:
            label = "edited the commit's files in its window"
        classes[kind][label] += 1
    print(f"\n{run.rstrip('/').split('/')[-1]}: {len(missed)} labelled pairs not linked at >= 0.5")
    for kind in sorted(classes):
        for label, n in sorted(classes[kind].items(), key=lambda x: -x[1]):
            print(f"  {kind:<24} {n:4d}  {label}")


def load(run):
    data = json.load(open(f"{run}/truth/truth.json"))
    truth = {(sha, sid) for sha, sids in data["truth"].items() for sid in sids}
    excluded = {(sha, sid) for sha, reasons in data.get("excluded", {}).items() for sid in reasons}
    info = data.get("session_info", {})
    read_only = {p for p in truth if info.get(p[1], {}).get("edit_calls") == 0 and info.get(p[1], {}).get("commit_calls", 0) == 0}
    truth -= read_only
    excluded |= read_only
    labelled = {sha for sha, _ in truth}
    db = sqlite3.connect(f"file:{run}/attr.db?mode=ro", uri=True)
    links = []
    for sha, sid, link_type, confidence, evidence in db.execute(
            "SELECT commit_sha, session_id, link_type, confidence, evidence_json FROM commit_session_link"):
        sha = sha.lower()
        if sha not in labelled or (sha, sid) in excluded:
            continue
        ev = json.loads(evidence)
        raw = ev.get("raw", confidence)
        links.append({"type": link_type, "rule": ev.get("rule"), "raw": float(raw), "confidence": float(confidence),
                      "right": (sha, sid) in truth, "pair": (sha, sid)})
    load.scored[run] = truth
    return links


load.scored = {}


def pav(points):
    """points: [(raw, right)] -> blocks [(raw_lo, raw_hi, n, right)] with increasing rates (pool-adjacent-violators
    over the distinct raw values; equal neighbours are pooled too, so a run of equally right links is one block)."""
    groups = []
    for raw, right in sorted(points):
        if groups and groups[-1][0] == raw:
            groups[-1][2] += 1
            groups[-1][3] += 1 if right else 0
        else:
            groups.append([raw, raw, 1, 1 if right else 0])
    blocks = []
    for g in groups:
        blocks.append(list(g))
        while len(blocks) > 1 and blocks[-2][3] / blocks[-2][2] >= blocks[-1][3] / blocks[-1][2]:
            hi = blocks.pop()
            blocks[-1][1] = hi[1]
            blocks[-1][2] += hi[2]
            blocks[-1][3] += hi[3]
    return blocks


# Rules fitted apart from the rest of their link type (table key "type/rule", LinkCalibration.RuleKey): a touch pair
# whose session shares the commit's files with its own parent or sub-agents is not in competition with them, and is right
# at another rate than an uncontested pair of the same score.
OWN_TABLE_RULES = {"touch-same-task"}


def table_key(link):
    return f"{link['type']}/{link['rule']}" if link["rule"] in OWN_TABLE_RULES else link["type"]


def fit(links):
    tables = {}
    # authored and recorded links are exact (git's own output, a trailer, a tool's record): 1.0 by contract.
    for key in sorted({table_key(l) for l in links if l["type"] not in ("authored", "recorded")}):
        mine = sorted((l["raw"], l["right"]) for l in links if table_key(l) == key and l["rule"] != "co-author-trailer-activity-only")
        if not mine:
            continue
        prior = sum(r for _, r in mine) / len(mine)
        points, best = [], 0.0
        for lo, hi, n, right in pav(mine):
            rate = (right + 2 * prior) / (n + 2)
            best = max(best, round(rate, 3))
            points.append([round(lo, 3), best])
            if hi > lo:
                points.append([round(hi, 3), best])
        tables[key] = points
    return tables


def buckets(links):
    rows = []
    for i in range(10):
        lo, hi = i / 10, (i + 1) / 10
        inside = [l for l in links if lo <= l["confidence"] < hi or (i == 9 and l["confidence"] == 1.0)]
        if inside:
            rows.append([round(lo, 1), round(hi, 1), len(inside), sum(l["right"] for l in inside)])
    return rows


def report(runs):
    ok = True
    for label, links in runs:
        print(f"\n{label}: {len(links)} links on labelled commits")
        print(f"  {'bucket':<9} {'links':>6} {'right':>6} {'observed':>9} {'|obs-mid|':>9}")
        for i in range(10):
            lo, hi = i / 10, (i + 1) / 10
            inside = [l for l in links if lo <= l["confidence"] < hi or (i == 9 and l["confidence"] == 1.0)]
            if not inside:
                continue
            right = sum(l["right"] for l in inside)
            observed = right / len(inside)
            gap = abs(observed - (lo + hi) / 2)
            flag = "" if len(inside) < MIN_BUCKET else ("  ok" if gap <= 0.1 else "  OFF")
            ok &= not (len(inside) >= MIN_BUCKET and gap > 0.1)
            print(f"  {lo:.1f}-{hi:.1f}   {len(inside):6d} {right:6d} {observed:9.3f} {gap:9.3f}{flag}")
    print(f"\ncalibration goal (every bucket of >= {MIN_BUCKET} links within 0.1 of its midpoint): {'met' if ok else 'NOT met'}")
    return ok


def write(doc, path):
    """JSON with each point or bucket on one line."""
    text = json.dumps(doc, indent=1)
    text = re.sub(r"\[\s+([-\d.,\s]+?)\s+\]", lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]", text)
    with open(path, "w") as f:
        f.write(text + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=["fit", "report", "record", "kinds", "misses"])
    ap.add_argument("runs", nargs="+")
    ap.add_argument("--out")
    args = ap.parse_args()
    if args.command in ("kinds", "misses"):
        for run in args.runs:
            (by_kind if args.command == "kinds" else misses)(run)
        return
    runs = [(run.rstrip("/").split("/")[-1], load(run)) for run in args.runs]
    if args.command == "fit":
        tables = fit([l for _, links in runs for l in links])
        doc = {"comment": "Fitted by bench/accuracy/run.sh fit on the dev set (" + ", ".join(r for r, _ in runs) +
               "): per link type, [raw score, calibrated confidence] points of an isotonic fit. Do not edit by hand.",
               "types": tables}
        write(doc, args.out)
        for t, pts in tables.items():
            print(f"{t}: {pts}")
    elif args.command == "record":
        doc = json.load(open(args.out))
        pooled = [l for _, links in runs for l in links]
        doc["reliability"] = {label: buckets(links) for label, links in runs + [("dev set", pooled)]}
        write(doc, args.out)
    else:
        sys.exit(0 if report(runs + ([("all", [l for _, links in runs for l in links])] if len(runs) > 1 else [])) else 1)


if __name__ == "__main__":
    main()
