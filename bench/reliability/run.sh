#!/usr/bin/env bash
# Long reliability runs (not part of Attribution.sln or the normal suite's bounds).
#   bench/reliability/run.sh fuzz CASES [SEED]      mutated webhooks / metadata / stack traces / JSON-RPC, CASES per target
#   bench/reliability/run.sh crash ROUNDS           SIGKILL mid-load ROUNDS times (SQLite, plus PostgreSQL when ATTRIBUTION_TEST_PG is set)
#   bench/reliability/run.sh scaleout RUNS          two serve processes on one PostgreSQL, RUNS times (needs ATTRIBUTION_TEST_PG)
#   bench/reliability/run.sh burst TOTAL CONC       burst of TOTAL deliveries with CONC in flight: 202/503 + Retry-After, peak RSS
#   bench/reliability/run.sh kill TRIALS            SIGKILL a 40 MB transcript ingest after a part was saved, rerun, compare with a clean run
#   bench/reliability/run.sh webhookmem             80 concurrent 25 MiB webhook bodies (unsigned, wrongly signed): peak RSS
# PostgreSQL runs need ATTRIBUTION_TEST_PG (an admin connection string; each run creates and drops its database).
set -euo pipefail
cd "$(dirname "$0")/../.."
project=tests/Attribution.Tests/Attribution.Tests.csproj
dotnet build "$project" -v q -nologo >/dev/null
run() { dotnet test "$project" --no-build --filter "$1" --logger "console;verbosity=normal" 2>&1 | grep -E '^\s+(Passed|Failed|Skipped) |Error Message|Expected|deliveries, concurrency|Total tests|Passed:|Failed:' ; }
case "${1:-}" in
  fuzz)
    export ATTRIBUTION_FUZZ_CASES="${2:?case count}" ATTRIBUTION_FUZZ_SEED="${3:-20261125}"
    run "FullyQualifiedName~Attribution.Tests.Reliability&FullyQualifiedName~Fuzz" ;;
  crash)
    export ATTRIBUTION_CRASH_ROUNDS="${2:?rounds}"
    run "FullyQualifiedName~Attribution.Tests.Reliability.CrashTests" ;;
  scaleout)
    : "${ATTRIBUTION_TEST_PG:?set ATTRIBUTION_TEST_PG}"
    for i in $(seq 1 "${2:?runs}"); do echo "run $i"; run "FullyQualifiedName~Attribution.Tests.Reliability.ScaleOutTests"; done ;;
  burst)
    export ATTRIBUTION_BENCH=1 ATTRIBUTION_BURST_TOTAL="${2:-20000}" ATTRIBUTION_BURST_CONCURRENCY="${3:-512}"
    export ATTRIBUTION_BURST_REPORT; ATTRIBUTION_BURST_REPORT=$(mktemp)
    run "FullyQualifiedName~Attribution.Tests.Reliability.BurstBenchmarks"
    cat "$ATTRIBUTION_BURST_REPORT"; rm -f "$ATTRIBUTION_BURST_REPORT" ;;
  kill)
    export ATTRIBUTION_BENCH=1 ATTRIBUTION_KILL_TRIALS="${2:-10}"
    export ATTRIBUTION_BURST_REPORT; ATTRIBUTION_BURST_REPORT=$(mktemp)
    run "FullyQualifiedName~Attribution.Tests.Reliability.TranscriptKillTrials"
    cat "$ATTRIBUTION_BURST_REPORT"; rm -f "$ATTRIBUTION_BURST_REPORT" ;;
  webhookmem)
    export ATTRIBUTION_BENCH=1
    export ATTRIBUTION_BURST_REPORT; ATTRIBUTION_BURST_REPORT=$(mktemp)
    run "FullyQualifiedName~Attribution.Tests.Reliability.WebhookMemoryBenchmarks"
    cat "$ATTRIBUTION_BURST_REPORT"; rm -f "$ATTRIBUTION_BURST_REPORT" ;;
  *) sed -n 2,10p "$0"; exit 2 ;;
esac
