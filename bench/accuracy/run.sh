#!/usr/bin/env bash
# Attribution accuracy on the real labelled dev set (../shared/data), in one command.
#
#   bench/accuracy/run.sh [--keep DIR]        measure: precision/recall per repository and agent, reliability table
#   bench/accuracy/run.sh fit [--keep DIR]    measure, refit src/Attribution/Linking/calibration.json, rebuild, measure
#                                             again and record that reliability table in the file (shown on /calibration)
#
# Runs ../shared/tools/accuracy/measure.sh (Release build of this work tree; checkpoint refs hidden from the
# product; read-only sessions not counted) on both dev repositories, then bench/accuracy/calibration.py on the
# kept databases. Exits non-zero when a goal is missed: precision >= 0.95 and recall >= 0.90 at 0.5 on each
# repository, every confidence bucket of width 0.1 holding >= 20 links within 0.1 of its midpoint.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=bench/accuracy
measure=../shared/tools/accuracy/measure.sh
[ -x "$measure" ] || { echo "needs ../shared beside the repository (the dev set and measure.sh)"; exit 2; }
mode=measure
[ "${1:-}" = fit ] && { mode=fit; shift; }
keep=""
[ "${1:-}" = --keep ] && { keep=$2; shift 2; }
work=${keep:-$(mktemp -d)}
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT

run_measure() {
  rm -rf "$work/runs"; mkdir -p "$work/runs"
  "$measure" --keep "$work/runs" | tee "$work/measure.txt"
  runs=()
  for d in "$work"/runs/*/; do [ -f "$d/truth/truth.json" ] && runs+=("${d%/}"); done
}

check() {
  python3 - "$work/measure.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
ok = True
for name, block in re.findall(r"== (\S+)\n(.*?)(?=\n== |\Z)", text, re.S):
    m = re.search(r">= 0\.5\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)", block)
    p, r = float(m.group(4)), float(m.group(5))
    good = p >= 0.95 and r >= 0.90
    ok &= good
    print(f"{name}: precision {p:.3f} recall {r:.3f} at 0.5 -> {'met' if good else 'NOT met'} (goal >= 0.95 / >= 0.90)")
sys.exit(0 if ok else 1)
PY
}

run_measure
if [ "$mode" = fit ]; then
  python3 "$here/calibration.py" fit "${runs[@]}" --out src/Attribution/Linking/calibration.json
  run_measure
  python3 "$here/calibration.py" record "${runs[@]}" --out src/Attribution/Linking/calibration.json
fi
status=0
echo; echo "== reliability (confidence buckets of width 0.1)"
python3 "$here/calibration.py" report "${runs[@]}" || status=1
echo; echo "== by kind of session (sensitivity view; the goals below use measure.sh's scoring)"
python3 "$here/calibration.py" kinds "${runs[@]}"
echo; echo "== what the misses are (from the session's own records)"
python3 "$here/calibration.py" misses "${runs[@]}"
echo; echo "== goals"
check || status=1
exit $status
