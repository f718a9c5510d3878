#!/usr/bin/env bash
# Fetches the price map the `litellm` PyPI package ships and prints its path,
# for the full-map import test (LITELLM_MAP). Cached under target/.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${LITELLM_VERSION:-1.110.2}"
dir="target/litellm-$version"
map="$dir/model_prices_and_context_window_backup.json"
if [[ ! -s "$map" ]]; then
  mkdir -p "$dir"
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$dir" "litellm==$version" >&2
  python3 - "$dir" <<'PY'
import glob, sys, zipfile
d = sys.argv[1]
wheel = glob.glob(f"{d}/litellm-*.whl")[0]
with zipfile.ZipFile(wheel) as z:
    data = z.read("litellm/model_prices_and_context_window_backup.json")
open(f"{d}/model_prices_and_context_window_backup.json", "wb").write(data)
PY
  rm -f "$dir"/litellm-*.whl
fi
realpath "$map"
