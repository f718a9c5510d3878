#!/usr/bin/env bash
# The budget gate the Action runs, as a script CI can test: estimate the
# base branch as a baseline (when an increase limit is asked for), then
# judge the pull request's specs with the same arguments.
#
# Environment (set by action.yml):
#   SPECS            spec glob
#   ARGS             more `llm-cost check` arguments, split on spaces and newlines
#   MAX_MONTHLY, MAX_PER_REQUEST, MIN_MARGIN, MAX_MARGIN_DROP, MAX_INCREASE
#   BASE_REF         the base branch, on a pull request; empty otherwise
#   WORK             a fresh folder for this use of the action (a job may use it twice)
#   GITHUB_OUTPUT    where `exit-code=N` goes
# The report is written to "$WORK/llm-cost.md".
set -uo pipefail

# Every line and word of ARGS, not only the first line.
extra=()
read -r -d '' -a extra <<< "${ARGS:-}" || true

# Base and head are estimated with the same arguments (a --pricing discount
# applied to one side only made a 90% traffic rise read as -5%), each in its
# own tree, so each reads its own prompt and pricing files.
base_json="$WORK/base.json"
if [ -n "${BASE_REF:-}" ] && [ -n "${MAX_INCREASE:-}" ]; then
  # `--` first: a branch name cannot be read as an option.
  if git fetch --no-tags --depth=1 -- origin "$BASE_REF" &&
     git worktree add --detach "$WORK/base" FETCH_HEAD >/dev/null 2>&1; then
    (cd "$WORK/base" &&
      llm-cost check "$SPECS" ${extra[@]+"${extra[@]}"} --format json --warn-only --github never \
        > "$base_json") || true
    git worktree remove --force "$WORK/base" >/dev/null 2>&1 || true
  else
    echo "::warning title=llm-cost::could not check out the base branch; the increase limit is not judged"
  fi
fi

flags=()
[ -n "${MAX_MONTHLY:-}" ] && flags+=(--max-monthly "$MAX_MONTHLY")
[ -n "${MAX_PER_REQUEST:-}" ] && flags+=(--max-per-request "$MAX_PER_REQUEST")
[ -n "${MIN_MARGIN:-}" ] && flags+=(--min-margin "$MIN_MARGIN")
[ -n "${MAX_MARGIN_DROP:-}" ] && flags+=(--max-margin-drop "$MAX_MARGIN_DROP")
if [ -n "${MAX_INCREASE:-}" ] && [ -s "$base_json" ]; then
  flags+=(--baseline "$base_json" --max-increase "$MAX_INCREASE")
fi
code=0
llm-cost check "$SPECS" ${flags[@]+"${flags[@]}"} ${extra[@]+"${extra[@]}"} --github always \
  --output "$WORK/llm-cost.md" || code=$?
echo "exit-code=$code" >> "$GITHUB_OUTPUT"
