#!/usr/bin/env bash
# Line-level outcomes (issue 18) on the real dev set (../shared/data), in one command.
#
#   bench/outcomes/run.sh [--keep DIR] [--baseline]
#
# For each dev-set repository: unpack it, hide the checkpoint refs (the answer key) from the clone the product sees,
# extract the recorded transcripts (../shared/tools/accuracy/entire_truth.py), then in a fresh SQLite database
# migrate, ingest git, ingest sessions and run `attribute backfill --since 3650d` (timed: the whole pass, and the
# line step it reports). Prints, over sessions linked at >= 0.5: how many are still good after 14 days (no fix and
# no revert of their commits within 14 days), the survival of their lines (at head, +14 d, +30 d), and the
# incremental cost: one new commit touching the newest linked commit's file, then the pass again.
# --baseline also runs the build this branch started from (main's merge base) for the old still-good share.
# Release build of this work tree. Needs git, python3 and ../shared beside the repository (or ATTRIBUTION_SHARED=path).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
shared=${ATTRIBUTION_SHARED:-../shared}
tools=$shared/tools/accuracy
[ -f "$tools/entire_truth.py" ] || { echo "needs ../shared beside the repository (the dev set and its tools)"; exit 2; }
keep="" baseline=""
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=$2; shift 2 ;;
    --baseline) baseline=1; shift ;;
    *) echo "unknown argument $1"; exit 2 ;;
  esac
done
work=${keep:-$(mktemp -d)}
mkdir -p "$work"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT

dotnet publish src/Attribution -c Release -o "$work/bin" >"$work/publish.log" 2>&1 || { tail -20 "$work/publish.log"; exit 1; }
if [ -n "$baseline" ]; then
  base=$(git merge-base HEAD main)
  rm -rf "$work/base-src"; mkdir -p "$work/base-src"
  git archive "$base" | tar -x -C "$work/base-src"
  dotnet publish "$work/base-src/src/Attribution" -c Release -o "$work/base-bin" >"$work/base-publish.log" 2>&1 || { tail -20 "$work/base-publish.log"; exit 1; }
fi

now() { date +%s.%N; }

for tarball in "$shared"/data/*.git.tar.gz; do
  name=$(basename "$tarball" .git.tar.gz)
  run=$work/$name
  rm -rf "$run"; mkdir -p "$run/home"
  tar xzf "$tarball" -C "$run"
  git clone -q --bare "$run/$name.git" "$run/ingest.git"
  git -C "$run/ingest.git" for-each-ref --format='%(refname)' | grep '/entire/' \
    | while read -r ref; do git -C "$run/ingest.git" update-ref -d "$ref"; done
  python3 "$tools/entire_truth.py" "$run/$name.git" "$run/truth" >"$run/truth.log"

  pass() { # BIN DB LOG
    local t0 t1
    t0=$(now)
    # The whole line step in one pass (the service's default budget is 60 s per pass; the rest follows in later passes).
    HOME=$run/home ATTRIBUTION_DB=$2 ATTRIBUTION_WATCH_SESSIONS=false Attribution__Linking__LineBudgetSeconds=${LINE_BUDGET:-3600} \
      "$1" attribute backfill --since 3650d >"$3" 2>&1
    t1=$(now)
    python3 -c "print(f'{$t1-$t0:.1f}')"
  }
  prepare() { # BIN DB
    export HOME=$run/home ATTRIBUTION_DB=$2 ATTRIBUTION_WATCH_SESSIONS=false
    "$1" migrate >"$run/migrate.log" 2>&1
    "$1" ingest git --path "$run/ingest.git" --repo "entireio/$name" >"$run/git.log" 2>&1
    "$1" ingest sessions "$run/truth/t" --repo "entireio/$name" >"$run/sessions.log" 2>&1
    unset ATTRIBUTION_DB
  }

  prepare "$work/bin/attribution" "$run/attr.db"
  full=$(pass "$work/bin/attribution" "$run/attr.db" "$run/backfill.log")
  again=$(pass "$work/bin/attribution" "$run/attr.db" "$run/backfill-again.log")

  # One new commit on the default branch touching the file of the newest linked commit (plumbing: the snapshots
  # lack some blobs, so no checkout).
  sha=$(python3 - "$run/attr.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
row = db.execute("""SELECT o.target_key FROM line_outcomes o JOIN commits c ON c.repo_slug = o.repo_slug AND c.sha = o.target_key
                    WHERE o.target_kind = 'commit' AND o.lines_at_head > 0 ORDER BY c.committer_ts DESC LIMIT 1""").fetchone()
print(row[0] if row else "")
PY
)
  branch=$(git -C "$run/ingest.git" symbolic-ref --short HEAD)
  path=$(git -C "$run/ingest.git" diff-tree --no-commit-id --name-only -r "$sha" | while read -r p; do
    git -C "$run/ingest.git" cat-file -e "$branch:$p" 2>/dev/null && { echo "$p"; break; }; done)
  blob=$( (git -C "$run/ingest.git" cat-file blob "$branch:$path"; echo "// one more line") | git -C "$run/ingest.git" hash-object -w --stdin)
  export GIT_INDEX_FILE=$run/bench.index
  git -C "$run/ingest.git" read-tree "$branch"
  git -C "$run/ingest.git" update-index --cacheinfo "100644,$blob,$path"
  tree=$(git -C "$run/ingest.git" write-tree)
  unset GIT_INDEX_FILE
  commit=$(GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com \
    git -C "$run/ingest.git" commit-tree "$tree" -p "$branch" -m "fix: bench touch of $path")
  git -C "$run/ingest.git" update-ref "refs/heads/$branch" "$commit"
  incremental=$(pass "$work/bin/attribution" "$run/attr.db" "$run/backfill-incremental.log")

  echo "== $name"
  echo "pass from scratch: ${full} s ($(grep '^line outcomes' "$run/backfill.log"))"
  echo "pass again, nothing new: ${again} s ($(grep -h '^repositories' "$run/backfill-again.log"))"
  echo "pass after one new commit touching $path: ${incremental} s ($(grep '^line outcomes' "$run/backfill-incremental.log"))"
  python3 bench/outcomes/report.py "$run/attr.db" "entireio/$name" "$run/ingest.git"
  if [ -n "$baseline" ]; then
    prepare "$work/base-bin/attribution" "$run/base.db"
    basetime=$(pass "$work/base-bin/attribution" "$run/base.db" "$run/base-backfill.log")
    echo "baseline build (subject rule, file-level touches): pass ${basetime} s"
    python3 bench/outcomes/report.py "$run/base.db" "entireio/$name" "$run/ingest.git" --baseline
  fi
done
[ -z "$keep" ] || echo "kept: $work"
