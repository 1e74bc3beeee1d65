#!/usr/bin/env python3
"""Measures a candidate rule the rubric does not have: link each sub-agent session to every commit its parent session
is linked to (at 0.5 or more) while the sub-agent was alive (its start to its end, plus a slack). Prints, per slack,
how many of those links the labels hold (right), how many they do not (wrong, on labelled commits only) and how many
of the run's misses the rule would find.

    python3 bench/accuracy/subagent_lifetime.py RUN      # RUN: a repository folder of measure.sh --keep, e.g. /tmp/m/git-sync

Reads RUN/attr.db (sessions.parent_session_id, started_ts, ended_ts; commit_session_link; commits.committer_ts),
RUN/truth/truth.json and RUN/errors.json.
"""
import datetime
import json
import sqlite3
import sys


def when(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def main(run):
    truth_file = json.load(open(f"{run}/truth/truth.json"))
    truth = {(sha, session) for sha, sessions in truth_file["truth"].items() for session in sessions}
    labelled = set(truth_file["truth"])
    misses = {(m["sha"], m["session"]) for m in json.load(open(f"{run}/errors.json"))["false_negatives"]}
    db = sqlite3.connect(f"{run}/attr.db")
    children = db.execute(
        "SELECT session_id, parent_session_id, started_ts, ended_ts FROM sessions WHERE parent_session_id IS NOT NULL").fetchall()
    linked = {}
    for sha, session in db.execute("SELECT commit_sha, session_id FROM commit_session_link WHERE confidence >= 0.5"):
        linked.setdefault(session, []).append(sha)
    committed = dict(db.execute("SELECT sha, committer_ts FROM commits"))
    print(f"{run}: {len(children)} sub-agent sessions, {len(misses)} misses")
    for slack in (0, 0.5, 1, 3):
        right = wrong = 0
        found = set()
        for child, parent, started, ended in children:
            if not started or not ended:
                continue
            start, end = when(started), when(ended) + datetime.timedelta(hours=slack)
            for sha in linked.get(parent, []):
                at = when(committed.get(sha))
                if at is None or not start <= at <= end or sha not in labelled:
                    continue
                if (sha, child) in truth:
                    right += 1
                    found.add((sha, child))
                else:
                    wrong += 1
        print(f"  slack {slack:>3} h: right {right}, wrong {wrong}, misses found {len(found & misses)}")


if __name__ == "__main__":
    main(sys.argv[1])
