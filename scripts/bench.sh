#!/usr/bin/env bash
# Whole-process speed of `llm-cost estimate` on every example, next to a
# tokenizer-only baseline measured in the same session (these machines are
# noisy; only ratios against a same-session baseline mean anything).
#
#   baseline: `llm-cost count --encoding o200k_base` on one short line, i.e.
#             process start + loading o200k_base + a trivial count
#   ratio:    estimate time / baseline time. Near 1.0 means the program's own
#             work (YAML, validation, files, arithmetic, report) is small next
#             to the tokenizer's load.
#
# Usage: scripts/bench.sh [--quick]      (needs hyperfine: apt-get install hyperfine)
set -euo pipefail
cd "$(dirname "$0")/.."

runs=20
[[ "${1:-}" == "--quick" ]] && runs=5

if ! command -v hyperfine >/dev/null; then
  echo "hyperfine not found; installing it (Debian package)..." >&2
  apt-get install -y -qq hyperfine >/dev/null || { echo "please install hyperfine" >&2; exit 1; }
fi

cargo build --release --quiet
bin=target/release/llm-cost
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "A short line of text." > "$work/line.txt"

cmds=("$bin count --encoding o200k_base $work/line.txt")
names=("baseline: load o200k_base + count one line")
# A spec of `{tokens: N}` variables loads no tokenizer: this is the
# program's own work alone (YAML, validation, pricing catalog, arithmetic).
cmds+=("$bin estimate tests/fixtures/specs/hand.yaml")
names+=("estimate, no tokenizer needed (tokens-only spec)")
for spec in examples/*/spec.yaml; do
  pricing="$(dirname "$spec")/pricing.yaml"
  extra=""
  [[ -f "$pricing" ]] && extra=" --pricing $pricing"   # an example's own models
  cmds+=("$bin estimate $spec$extra")
  names+=("estimate $spec")
done

# check: 50 specs in one process against one spec (issue: "well under twice
# the time of one spec"). The copies share one folder of prompts and samples.
mkdir -p "$work/many"
cp -r examples/support-assistant/prompts examples/support-assistant/samples "$work/many/"
for i in $(seq -w 1 50); do
  sed "s/^feature: .*/feature: Support reply drafts $i/" examples/support-assistant/spec.yaml > "$work/many/spec-$i.yaml"
done
# What-ifs: every model in the catalog in one process. Each encoding loads
# once; the Llama models bring cl100k_base in beside o200k_base.
cmds+=("$bin estimate examples/support-assistant/spec.yaml --compare provider:openai")
names+=("estimate support --compare provider:openai")
cmds+=("$bin estimate examples/support-assistant/spec.yaml --compare all")
names+=("estimate support --compare all")
cmds+=("$bin count --encoding cl100k_base $work/line.txt")
names+=("baseline 2: load cl100k_base + count one line")

cmds+=("$bin check $work/many/spec-01.yaml")
names+=("check 1 spec")
cmds+=("$bin check $work/many/spec-*.yaml")
names+=("check 50 specs")

args=()
for i in "${!cmds[@]}"; do args+=(--command-name "${names[$i]}" "${cmds[$i]}"); done
hyperfine --shell=none --warmup 2 --runs "$runs" --export-json "$work/bench.json" "${args[@]}" >&2

python3 - "$work/bench.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
base = results[0]["mean"]
print(f"{'command':60} {'mean':>9} {'± σ':>8} {'ratio':>6}")
for r in results:
    print(f"{r['command']:60} {r['mean']*1000:7.1f}ms {r['stddev']*1000:6.1f}ms {r['mean']/base:6.2f}")
by_name = {r["command"]: r["mean"] for r in results}
print(f"\ncheck 50 specs / check 1 spec: {by_name['check 50 specs'] / by_name['check 1 spec']:.2f}")
PY
