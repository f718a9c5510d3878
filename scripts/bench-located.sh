#!/usr/bin/env bash
# What a located error costs: `estimate` on a 450 KB spec with one invalid
# value, and with twenty, next to a valid run of the same spec (measured in
# the same session; only ratios mean anything on these machines). Each
# message's line and column is a lookup in one index of the file, so twenty
# should cost about what one does.
#
# Usage: scripts/bench-located.sh [BINARY] [--quick]   (needs hyperfine)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/llm-cost}
runs=10
[[ "${2:-}" == "--quick" ]] && runs=3
if ! command -v hyperfine >/dev/null; then
  apt-get install -y -qq hyperfine >/dev/null || { echo "please install hyperfine" >&2; exit 1; }
fi
[[ "$bin" == target/release/llm-cost ]] && cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 20 calls, each with a 22 KB system prompt of words; `bad` calls ask for
# a negative output (a validation error located at its value).
spec() {
  local bad=$1
  python3 - "$bad" <<'PY'
import sys
bad = int(sys.argv[1])
words = " ".join(f"word{i}" for i in range(3000))
print("version: 1\nfeature: Located errors\nmodel: gpt-5-mini\ncalls:")
for i in range(20):
    print(f"  - name: call{i}")
    print("    messages:")
    print(f"      - role: system\n        text: \"{words}\"")
    print("      - { role: user, text: hello }")
    print(f"    output_tokens: {-1 if i < bad else 100}")
print("traffic:\n  requests_per_day: 1000")
PY
}
spec 0 > "$work/valid.yaml"
spec 1 > "$work/one.yaml"
spec 20 > "$work/twenty.yaml"
ls -l "$work"/*.yaml | awk '{print $5, $NF}' >&2
hyperfine --shell=none --warmup 1 --runs "$runs" -i --export-json "$work/b.json" \
  --command-name "valid" "$bin estimate $work/valid.yaml --format json" \
  --command-name "1 error" "$bin estimate $work/one.yaml" \
  --command-name "20 errors" "$bin estimate $work/twenty.yaml" >&2
python3 - "$work/b.json" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
for k, v in r.items():
    print(f"{k:10} {v*1000:8.1f} ms")
print(f"20 errors / 1 error: {r['20 errors'] / r['1 error']:.2f}")
PY
