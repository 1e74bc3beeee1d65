#!/usr/bin/env python3
"""Still-good share and line survival of the sessions linked in an attribution database (bench/outcomes/run.sh).

Usage: report.py DB REPO_SLUG CLONE [--baseline]

A session counts when it has a commit link at >= 0.5; it is "merged" when one of those commits is in the default
branch's history of CLONE. Still good after 14 days: every linked commit is at least 14 days old and none has a
fix or revert touch within 14 days of its commit time. --baseline: the database of a build without line facts
(survival not printed).
"""
import re
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone

FIX = re.compile(r"\b(fix|bug|hotfix|regression|patch)\b", re.I)


def ts(text):
    text = re.sub(r"(\.\d{6})\d+", r"\1", text.replace("Z", "+00:00"))
    return datetime.fromisoformat(text)


def main():
    db_path, slug, clone = sys.argv[1:4]
    baseline = "--baseline" in sys.argv
    branch = subprocess.run(["git", "-C", clone, "symbolic-ref", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    on_branch = set(subprocess.run(["git", "-C", clone, "rev-list", branch], capture_output=True, text=True, check=True).stdout.split())
    db = sqlite3.connect(db_path)
    now = datetime.now(timezone.utc)
    commits = {sha: (ts(t), subj) for sha, t, subj in db.execute(
        "SELECT sha, committer_ts, subject FROM commits WHERE repo_slug = ? AND committer_ts IS NOT NULL", (slug,))}
    links = {}
    for sha, session in db.execute("SELECT commit_sha, session_id FROM commit_session_link WHERE repo_slug = ? AND confidence >= 0.5", (slug,)):
        links.setdefault(session, set()).add(sha)
    touches = {}
    for key, touch, cls, touched in db.execute(
            "SELECT target_key, touch_sha, classification, touched_ts FROM downstream_touches WHERE repo_slug = ? AND target_kind = 'commit'", (slug,)):
        touches.setdefault(key, []).append((touch, cls, ts(touched)))
    outcomes = {} if baseline else {row[0]: row[1:] for row in db.execute(
        "SELECT target_key, lines_written, lines_at_head, lines_after_14d, lines_after_30d, lines_rewritten_by_others FROM line_outcomes WHERE repo_slug = ? AND target_kind = 'commit'", (slug,))}

    def bad(sha, rule):
        when = commits[sha][0]
        for touch, cls, touched in touches.get(sha, []):
            if touched > when + timedelta(days=14):
                continue
            if rule == "engine" and cls in ("fix", "revert"):
                return True
            if rule == "subject" and (cls == "revert" or FIX.search(commits.get(touch, (None, ""))[1] or "")):
                return True
        return False

    merged = {s: shas for s, shas in links.items() if any(c in on_branch for c in shas)}
    eligible = {s: [c for c in shas if c in commits] for s, shas in merged.items()
                if all(c in commits and commits[c][0] + timedelta(days=14) <= now for c in shas)}
    good = [s for s, shas in eligible.items() if not any(bad(c, "engine") for c in shas)]
    print(f"sessions linked at >= 0.5: {len(links)}; merged (a linked commit on {branch}): {len(merged)}; 14 days old: {len(eligible)}")
    print(f"still good after 14 days: {len(good)} of {len(eligible)} ({len(good) / max(1, len(eligible)):.0%})")
    if not baseline:
        subject = [s for s, shas in eligible.items() if not any(bad(c, "subject") for c in shas)]
        print(f"  same touches, judged by subject alone (no line check): {len(subject)} of {len(eligible)} ({len(subject) / max(1, len(eligible)):.0%})")
        shas = sorted({c for s in merged.values() for c in s if c in outcomes})
        rows = [outcomes[c] for c in shas]
        written = sum(r[0] for r in rows)

        def share(i):
            known = [r for r in rows if r[i] is not None]
            w = sum(r[0] for r in known)
            return f"{sum(r[i] for r in known)} of {w} ({sum(r[i] for r in known) / w:.1%})" if w else "n/a"

        print(f"lines of merged sessions' commits ({len(rows)} commits): written {written}; at head {share(1)}; after 14 d {share(2)}; after 30 d {share(3)}; rewritten by others {sum(r[4] for r in rows)}")
        fixes = sum(1 for c in shas for t in touches.get(c, []) if t[1] == "fix")
        reverts = sum(1 for c in shas for t in touches.get(c, []) if t[1] == "revert")
        others = sum(1 for c in shas for t in touches.get(c, []) if t[1] == "other")
        print(f"touches of those commits: {fixes} fix, {reverts} revert, {others} other")


if __name__ == "__main__":
    main()
