#!/usr/bin/env python3
"""Regenerates the README's output blocks from the current build.

A block whose first line is `$ llm-cost …` (and that shows the whole output,
with no `…` line) is replaced by what `target/debug/llm-cost …` prints, run
from the repository root (stdout, then stderr). Blocks that elide lines with
`…` are listed for a manual update. tests/readme.rs fails when a block drifts.

    cargo build && python3 scripts/update-readme.py
"""
import os
import shlex
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.path.join(root, "target", "debug", "llm-cost")
env = dict(os.environ, LANG="C.UTF-8", LLM_COST_TODAY="2026-11-27")
for k in ["LC_ALL", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "LLM_COST_PRICING"]:
    env.pop(k, None)

lines = open(os.path.join(root, "README.md")).read().split("\n")
out, i, manual = [], 0, []
while i < len(lines):
    line = lines[i]
    out.append(line)
    i += 1
    if not (line.startswith("```") and i < len(lines) and lines[i].startswith("$ llm-cost ")):
        continue
    end = i
    while not lines[end].startswith("```"):
        end += 1
    block = lines[i:end]
    commands = [l for l in block if l.startswith("$ llm-cost ")]
    if len(commands) != 1 or any(l.strip() == "…" for l in block):
        manual.append(block[0])
        out.extend(block)
    else:
        command = block[0][len("$ llm-cost "):].split("  #")[0]
        run = subprocess.run([binary, *shlex.split(command)], cwd=root, env=env,
                             capture_output=True, text=True)
        out.append(block[0])
        out.extend((run.stdout + run.stderr).rstrip("\n").split("\n"))
    i = end
open(os.path.join(root, "README.md"), "w").write("\n".join(out))
for m in manual:
    print(f"update by hand (elided): {m}", file=sys.stderr)
