#!/usr/bin/env bash
# Measures llm-cost on small hostile inputs: exit code, wall time and peak
# memory of each (GNU time). Not a test: the regression tests in
# tests/hostile.rs assert the behaviour; this script shows the cost.
#
# Usage: scripts/hostile.sh [BINARY]   (default: a release build)
# Each case is capped at 20 s and 4 GB so a regression cannot take the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/llm-cost}
[ -x "$bin" ] || cargo build --release --locked -q
bin=$(realpath "$bin")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'EOF'
import os, sys
w = sys.argv[1]
head = "feature: f\nmodel: gpt-4o-mini\n"
tail = "traffic: { requests_per_day: 1 }\n"
def spec(name, body, files=()):
    d = os.path.join(w, name); os.makedirs(d)
    open(os.path.join(d, "spec.yaml"), "w").write(body)
    for fname, text in files:
        open(os.path.join(d, fname), "w").write(text)
big = "x" * 1_000_000
aliases = ", ".join(["*a"] * 5000)
spec("alias-bomb", head + f"v: &a \"{big}\"\ncalls:\n  - name: c\n    messages: [{{ role: user, text: hi }}]\n    output_tokens: 1\n    tools: [{aliases}]\n" + tail)
spec("fill-bomb", head + "calls:\n  - name: c\n    messages: [{ role: user, file: p.md }]\n    variables: { x: { file: x.txt } }\n    output_tokens: 1\n" + tail,
     [("p.md", "{{x}}" * 200_000), ("x.txt", big)])
spec("spaces", head + "calls:\n  - name: c\n    messages: [{ role: user, text: \"" + "{{x}}" * 1000 + "\" }]\n    variables: { x: { text: \"" + " " * 1000 + "\" } }\n    output_tokens: 1\n" + tail)
spec("unknown-keys", head + "".join(f"k{i}: 1\n" for i in range(20_000)) + "calls: []\n" + tail)
spec("undefined-vars", head + "calls:\n  - name: c\n    messages: [{ role: user, file: p.md }]\n    output_tokens: 1\n" + tail,
     [("p.md", "".join(f"{{{{v{i}}}}}" for i in range(10_000)))])
spec("braces", head + "calls:\n  - name: c\n    messages: [{ role: user, file: p.md }]\n    output_tokens: 1\n" + tail,
     [("p.md", "{{" * 500_000 + "}}")])
spec("fifo", head + "calls:\n  - name: c\n    messages: [{ role: user, file: p.md }]\n    output_tokens: 1\n" + tail)
os.mkfifo(os.path.join(w, "fifo", "p.md"))
spec("dev-zero", head + "calls:\n  - name: c\n    messages: [{ role: user, file: z.md }]\n    output_tokens: 1\n" + tail)
os.symlink("/dev/zero", os.path.join(w, "dev-zero", "z.md"))
spec("huge-spec", head + "calls:\n  - name: c\n    messages: [{ role: user, text: \"" + "y" * 50_000_000 + "\" }]\n    output_tokens: 1\n    unknwn: 1\n" + tail)
open(os.path.join(w, "spaces.txt"), "w").write(" " * 1_100_000)
EOF

run() {
  local name=$1; shift
  local code=0
  /usr/bin/time -f "%e %M" -o "$work/time" \
    timeout 20 bash -c 'ulimit -v 4000000; exec "$@"' _ "$@" >/dev/null 2>"$work/err" || code=$?
  read -r secs kb <<<"$(tail -1 "$work/time")"
  printf '%-16s exit %-3s %6.2f s %7d MB  %s\n' "$name" "$code" "$secs" $((kb / 1024)) \
    "$(head -c 110 "$work/err" | tr '\n' ' ')"
}

for case in alias-bomb fill-bomb spaces unknown-keys undefined-vars braces fifo huge-spec; do
  run "$case" "$bin" estimate "$work/$case/spec.yaml"
done
run dev-zero "$bin" estimate "$work/dev-zero/spec.yaml" --allow-outside-files
run count-spaces "$bin" count --encoding o200k_base "$work/spaces.txt"
