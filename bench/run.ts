import '../src/local/quiet-warnings.js';
/**
 * `npm run bench [-- <name filter>...]`: runs every registered benchmark module in sequence and prints
 * a summary table. A benchmark reports figures; it is not a test, so a missed target is shown as MISS
 * and does not fail the command (only a benchmark that crashes does).
 */
import * as providersFanout from './providers-fanout.js';
import * as slackIngress from './slack-ingress.js';
import * as timeToKill from './time-to-kill.js';
import type { BenchModule, BenchResult } from './types.js';

/** Every benchmark, run in this order. Register a new module by importing it and adding it here. */
const MODULES: BenchModule[] = [providersFanout, slackIngress, timeToKill];

interface Row {
  module: string;
  result: BenchResult;
}

function format(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

function verdict(r: BenchResult): string {
  if (r.ok === undefined) return '';
  return r.ok ? 'ok' : 'MISS';
}

/** Prints the results as an aligned text table. */
function printTable(rows: Row[]): void {
  const cells = rows.map(({ module, result: r }) => [
    module,
    r.name,
    `${format(r.value)} ${r.unit}`,
    r.target === undefined ? '' : `≤ ${format(r.target)} ${r.unit}`,
    verdict(r),
    r.note ?? '',
  ]);
  const header = ['module', 'figure', 'value', 'target', '', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) =>
    c
      .map((s, i) => s.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const c of cells) console.log(line(c));
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const picked = MODULES.filter((m) => filters.length === 0 || filters.some((f) => m.name.includes(f)));
  if (picked.length === 0) throw new Error(`No benchmark matches ${filters.join(', ')}.`);
  const rows: Row[] = [];
  let crashed = 0;
  for (const m of picked) {
    console.log(`▶ ${m.name}`);
    const start = performance.now();
    try {
      const results = await m.run();
      rows.push(...results.map((result) => ({ module: m.name, result })));
      console.log(`  done in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    } catch (err) {
      crashed++;
      console.error(`  ${m.name} crashed:`, err);
    }
  }
  printTable(rows);
  const missed = rows.filter((r) => r.result.ok === false).length;
  console.log(`\n${rows.length} figures, ${missed} target(s) missed, ${crashed} module(s) crashed.`);
  if (crashed > 0) process.exitCode = 1;
}

await main();
