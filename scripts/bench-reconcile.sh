#!/usr/bin/env bash
# How fast `llm-cost reconcile` reads production usage, and in how much
# memory: 1,000,000 OpenAI chat responses as JSON Lines (about 400 MB), each
# with its usage, metadata naming the call and request, and a short answer.
#
# Usage: scripts/bench-reconcile.sh [RECORDS]     (default 1000000)
# Needs python3 to write the file (once, cached in target/bench/) and
# GNU time (/usr/bin/time) for peak memory; hyperfine if present.
set -euo pipefail
cd "$(dirname "$0")/.."

records=${1:-1000000}
dir=target/bench
file="$dir/usage-$records.jsonl"
mkdir -p "$dir"
if [[ ! -s "$file" ]]; then
  echo "writing $file ..." >&2
  python3 - "$records" "$file" <<'PY'
import json, random, sys
n, path = int(sys.argv[1]), sys.argv[2]
random.seed(1)
answer = "Thanks for reaching out. " * 1
with open(path, "w") as f:
    for i in range(n):
        call = "classify" if i % 2 == 0 else "draft"
        model = "gpt-5.4-nano" if call == "classify" else "gpt-4o-mini-2024-07-18"
        prompt = random.randint(100, 130) if call == "classify" else random.randint(2800, 3100)
        cached = 1024 if call == "draft" and random.random() < 0.7 else 0
        out = 2 if call == "classify" else random.randint(200, 600)
        f.write(json.dumps({
            "id": f"chatcmpl-{i:012d}", "object": "chat.completion",
            "created": 1764201600 + i // 10, "model": model,
            "system_fingerprint": "fp_0123456789",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": answer}}],
            "metadata": {"call": call, "request": f"req-{i // 2}"},
            "usage": {"prompt_tokens": prompt, "completion_tokens": out,
                      "total_tokens": prompt + out,
                      "prompt_tokens_details": {"cached_tokens": cached},
                      "completion_tokens_details": {"reasoning_tokens": 0}},
        }) + "\n")
PY
fi
cargo build --release --quiet
bin=target/release/llm-cost
args=(reconcile examples/support-assistant/spec.yaml --usage "$file"
      --call-field metadata.call --request-field metadata.request --format json)
echo "$(du -h "$file" | cut -f1) of JSON Lines, $records records, $(nproc) cores"
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 1 --runs 5 "$bin ${args[*]}"
fi
if [[ -x /usr/bin/time ]]; then
  /usr/bin/time -v "$bin" "${args[@]}" 2>&1 >/dev/null \
    | grep -E "Elapsed|Maximum resident|Percent of CPU" | sed 's/^\s*/  /'
fi
