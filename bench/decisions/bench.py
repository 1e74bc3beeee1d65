#!/usr/bin/env python3
"""Times /cstp against a running `attribution serve`: record N decisions (batches of 50), review them,
query, calibrate (with groupBy) and a dry-run attribution. Standard library only.

usage: bench.py [--url http://127.0.0.1:5599/cstp] [--decisions 2000]
"""
import argparse, json, random, time, urllib.request

def call(url, body):
    data = json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req) as resp:
        text = resp.read()
        return json.loads(text) if text else None

def timed(label, fn, count=1):
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    rate = f", {count / elapsed:,.0f}/s" if count > 1 else ""
    print(f"{label:<42} {elapsed * 1000:9.1f} ms{rate}")
    return result

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:5599/cstp")
    ap.add_argument("--decisions", type=int, default=2000)
    args = ap.parse_args()
    rnd = random.Random(7)
    project = "bench/repo"
    ids = []

    def record():
        for start in range(0, args.decisions, 50):
            batch = [{"jsonrpc": "2.0", "id": i, "method": "cstp.recordDecision", "params": {
                "summary": f"decision {i} about retries and caching", "confidence": round(rnd.random(), 2),
                "category": rnd.choice(["architecture", "code-review", "tooling"]), "project": project,
                "feature": f"f{i % 7}", "pr": 1 + i % 40, "file": f"src/m{i % 30}.py", "line": 1 + i % 200}}
                for i in range(start, min(start + 50, args.decisions))]
            ids.extend(a["result"]["id"] for a in call(args.url, batch))

    def review():
        for start in range(0, len(ids), 50):
            batch = [{"jsonrpc": "2.0", "id": n, "method": "cstp.reviewDecision", "params": {
                "id": d, "outcome": rnd.choice(["success", "success", "partial", "failure"])}}
                for n, d in enumerate(ids[start:start + 50])]
            call(args.url, batch)

    timed(f"recordDecision x{args.decisions} (batches of 50)", record, args.decisions)
    timed(f"reviewDecision x{len(ids)} (batches of 50)", review, len(ids))
    q = timed("queryDecisions (text + project filter)", lambda: call(args.url, {"jsonrpc": "2.0", "id": 1, "method": "cstp.queryDecisions",
        "params": {"query": "retries caching", "filters": {"project": project}, "limit": 20}}))
    assert q["result"]["total"] == args.decisions, q
    c = timed("getCalibration (groupBy feature)", lambda: call(args.url, {"jsonrpc": "2.0", "id": 1, "method": "cstp.getCalibration",
        "params": {"filters": {"project": project}, "groupBy": "feature"}}))
    print("  brierScore", c["result"]["overall"]["brierScore"], "groups", len(c["result"]["groups"]))
    a = timed("attributeOutcomes (dryRun)", lambda: call(args.url, {"jsonrpc": "2.0", "id": 1, "method": "cstp.attributeOutcomes",
        "params": {"project": project, "dryRun": True}}))
    print("  processed", a["result"]["processed"])

if __name__ == "__main__":
    main()
