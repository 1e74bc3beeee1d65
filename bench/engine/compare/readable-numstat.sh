#!/bin/bash
# The `git log --all --numstat` baseline of issue 23 on a clone that lacks some blobs (the dev-set snapshots in
# ../shared/data: plain `git log --all --numstat` dies at the first missing blob). Lists every commit of --all, leaves
# out those whose first-parent diff names a missing blob (found with `git log --raw --no-renames` and
# `git cat-file --batch-check`, which read no blob), and times `git log --numstat` over the rest, three times.
# usage: readable-numstat.sh repo.git
set -euo pipefail
cd "$1"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
git rev-list --all > "$work/shas"
git log --no-walk=unsorted --stdin --no-abbrev --no-renames --root --diff-merges=first-parent --raw --format=%x01%H < "$work/shas" > "$work/raw"
python3 - "$work" <<'PY'
import subprocess, sys
work = sys.argv[1]
blobs, cur = {}, None
for line in open(f"{work}/raw"):
    line = line.rstrip("\n")
    if line.startswith("\x01"):
        cur = line[1:]; blobs[cur] = []
    elif line.startswith(":"):
        f = line.split("\t")[0].split(" ")
        blobs[cur] += [f[2], f[3]]
ids = sorted({b for v in blobs.values() for b in v if b.strip("0")})
out = subprocess.run(["git", "cat-file", "--batch-check"], input="\n".join(ids) + "\n", capture_output=True, text=True).stdout
missing = {l.split()[0] for l in out.splitlines() if l.endswith(" missing")}
bad = {c for c, v in blobs.items() if any(b in missing for b in v)}
print(f"{len(blobs)} commits, {len(bad)} name a missing blob and are left out", file=sys.stderr)
with open(f"{work}/good", "w") as good:
    good.writelines(s + "\n" for s in open(f"{work}/shas").read().split() if s not in bad)
PY
for _ in 1 2 3; do
  /usr/bin/time -f "git log --numstat over the readable commits of --all: %e s wall, %U+%S s cpu" \
    git log --no-walk=unsorted --stdin --numstat --root --diff-merges=first-parent < "$work/good" > /dev/null
done
