#!/usr/bin/env bash
# Latency of the query surfaces over HTTP on a seeded SQLite database (loopback only, bounded loops).
# Usage: bench/surfaces/run.sh [commits=20000] [requests-per-endpoint=300]   (KEEP_DB=path keeps a copy of the seeded database)
set -euo pipefail
COMMITS=${1:-20000}
REQUESTS=${2:-300}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
DB="$WORK/bench.db"
PORT=5399
trap 'kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

dotnet build "$ROOT/src/Attribution" -c Release -v q -o "$WORK/bin" >/dev/null
APP="$WORK/bin/attribution"
"$APP" migrate "--Attribution:Database:Connection=$DB" >/dev/null 2>&1

# 20 repositories; per commit: one authored link to its own session, one weak link, a PR every 5 commits
# (holding 5 commits), 2 CI runs, 3 downstream touches.
sqlite3 "$DB" <<SQL
PRAGMA journal_mode=WAL;
BEGIN;
CREATE TEMP TABLE n(i INTEGER PRIMARY KEY);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < $COMMITS) INSERT INTO n SELECT i FROM c;
CREATE TEMP VIEW g AS SELECT i, 'bench/repo' || (i % 20) AS repo, printf('%08x%032x', (i * 2654435761) % 4294967296, i) AS sha,
  strftime('%Y-%m-%dT%H:%M:%S.0000000Z', 'now', '-' || (i % 60) || ' days') AS ts FROM n;
INSERT INTO commits (repo_slug, sha, subject, message, committer_ts, author_ts, source, updated_ts)
  SELECT repo, sha, 'Commit ' || i, 'Commit ' || i, ts, ts, 'git', ts FROM g;
INSERT INTO sessions (session_id, agent, model, started_ts, ended_ts, repo_slug, input_tokens, output_tokens, cost_usd, updated_ts)
  SELECT 'session-' || i, 'claude-code', 'claude-opus-4-6', ts, ts, repo, 1000, 200, 0.05, ts FROM g;
INSERT INTO commit_session_link SELECT sha, repo, 'session-' || i, 'authored', 1.0, '{"method":"commit-output"}', ts FROM g;
INSERT INTO commit_session_link SELECT sha, repo, 'session-' || (i % $COMMITS + 1), 'inferred-by-touch', 0.3, '{"method":"file-overlap"}', ts FROM g;
INSERT INTO pr_outcomes (provider, repo_slug, pr_number, title, state, merged_at, head_sha, merge_commit_sha, created_at, downstream_touch_count, updated_ts)
  SELECT 'github', repo, i, 'PR ' || i, 'merged', ts, sha, NULL, ts, 3, ts FROM g WHERE i % 5 = 0;
INSERT INTO pr_commits SELECT 'github', repo, i - (i % 5) + 5, sha, 'git' FROM g;
INSERT INTO session_pr_links SELECT 'session-' || i, 'github', repo, i - (i % 5) + 5, 'commit', 1.0, '{}', ts FROM g;
INSERT INTO ci_runs (provider, repo_slug, run_id, commit_sha, status, workflow_name, started_ts, completed_ts, updated_ts)
  SELECT 'github-actions', repo, 'run-' || i || '-' || k, sha, CASE WHEN k = 1 THEN 'failure' ELSE 'success' END, 'build', ts, ts, ts
  FROM g, (SELECT 1 AS k UNION ALL SELECT 2);
INSERT INTO downstream_touches SELECT repo, 'commit', sha, printf('%040x', i * 10 + k), CASE k WHEN 1 THEN 'fix' WHEN 2 THEN 'other' ELSE 'revert' END, ts, '[]'
  FROM g, (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3);
COMMIT;
SQL

if [ -n "${KEEP_DB:-}" ]; then cp "$DB" "$KEEP_DB"; fi
"$APP" serve --urls "http://127.0.0.1:$PORT" "--Attribution:Database:Connection=$DB" --Attribution:Sessions:Watch=false >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done

sha_of() { sqlite3 "$DB" "SELECT sha FROM commits WHERE subject = 'Commit $1' LIMIT 1"; }
measure() { # name, url-producing function
  local name=$1 fn=$2 times=()
  for i in $(seq 1 "$REQUESTS"); do
    times+=("$(curl -s -o /dev/null -w '%{time_total} %{http_code}' "$($fn "$i")")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v n="$name" '{a[NR]=$1; if ($2 != 200) bad++} END {printf "%-34s p50 %6.2f ms  p95 %6.2f ms  max %6.2f ms  non-200: %d\n", n, a[int(NR*0.5)]*1000, a[int(NR*0.95)]*1000, a[NR]*1000, bad}'
}
SHAS=()
for i in $(seq 1 "$REQUESTS"); do SHAS+=("$(sha_of $(( (i * 7919) % COMMITS + 1 )))"); done
full_commit() { echo "http://127.0.0.1:$PORT/api/attribution/commit/${SHAS[$1-1]}"; }
short_commit() { local s=${SHAS[$1-1]}; echo "http://127.0.0.1:$PORT/api/attribution/commit/${s:0:12}"; }
session() { echo "http://127.0.0.1:$PORT/api/attribution/session/session-$(( ($1 * 7919) % COMMITS + 1 ))"; }
prs() { echo "http://127.0.0.1:$PORT/api/pr-outcomes?repo=bench/repo$(( $1 % 20 ))&since=30d&limit=100"; }
runs() { local s=${SHAS[$1-1]}; echo "http://127.0.0.1:$PORT/api/ci-runs?commitSha=${s:0:10}"; }

for warm in $(seq 1 20); do
  for fn in full_commit short_commit session prs runs; do curl -s -o /dev/null "$($fn "$warm")"; done
done
echo "commits=$COMMITS requests/endpoint=$REQUESTS (SQLite, Release, loopback, sequential curl)"
measure "GET /api/attribution/commit/<40>" full_commit
measure "GET /api/attribution/commit/<12>" short_commit
measure "GET /api/attribution/session/<id>" session
measure "GET /api/pr-outcomes (100 rows)" prs
measure "GET /api/ci-runs?commitSha=<10>" runs
