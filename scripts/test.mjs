// `npm test`: type check, build, unit tests, end-to-end tests, size budgets, package checks
// (scripts/check-packages.mjs: npm pack, publint, attw over the build). Every step runs even
// if an earlier one failed, so one run reports everything; the last line is "N passed, N failed"
// over unit and e2e tests (a failing non-test step counts as one failure).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ensureChromium } from './ensure-chromium.mjs';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
rmSync('reports', { recursive: true, force: true });
mkdirSync('reports', { recursive: true });

let passed = 0;
let failed = 0;
const steps = [];

function run(label, command, args) {
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' } });
  const ok = result.status === 0;
  steps.push(`${ok ? 'ok  ' : 'FAIL'} ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return ok;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

const typesOk = run('type check', npx, ['tsc', '-b']);
if (!typesOk) failed++;
const buildOk = run('build', npx, ['rollup', '-c', '--silent']);
if (!buildOk) failed++;

const unitOk = run('unit tests', npx, ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=reports/vitest.json']);
const vitest = readJson('reports/vitest.json');
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests + (vitest.numTotalTestSuites > 0 && vitest.numFailedTestSuites > 0 && vitest.numFailedTests === 0 ? 1 : 0);
} else if (!unitOk) failed++;

if (buildOk && ensureChromium()) {
  const e2eOk = run('e2e tests', npx, ['playwright', 'test', '-c', 'e2e/playwright.config.ts']);
  const report = readJson('reports/playwright.json');
  if (report?.stats) {
    passed += report.stats.expected;
    failed += report.stats.unexpected + report.stats.flaky;
  } else if (!e2eOk) failed++;
} else {
  steps.push('FAIL e2e tests (not run: build failed or Chromium missing)');
  failed++;
}

if (!run('size budgets', npx, ['size-limit'])) failed++;
if (!run('package checks', process.execPath, ['scripts/check-packages.mjs'])) failed++;

console.log('\n' + steps.join('\n'));
const summary = `${passed} passed, ${failed} failed`;
writeFileSync('reports/summary.txt', summary + '\n');
console.log(summary);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
