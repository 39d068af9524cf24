import '../src/local/quiet-warnings.js';
/**
 * `npm run bench [-- <name filter>...] [--markdown]`: runs every registered benchmark module in
 * sequence, in one process, and prints one table: each figure next to its baseline (measured in the
 * same run), the ratio and the target. A benchmark reports figures; it is not a test: a missed target
 * prints MISS and does not fail the command, only a benchmark that crashes does (exit code 1).
 */
import * as bulkRevoke from './bulk-revoke.js';
import * as coldStart from './cold-start.js';
import * as leakToKill from './leak-to-kill.js';
import * as providersFanout from './providers-fanout.js';
import * as scale from './scale.js';
import * as timeToKill from './time-to-kill.js';
import * as warmAck from './warm-ack.js';
import * as workerCreate from './worker-create.js';
import { metTarget, ratioOf, type BenchModule, type BenchResult } from './types.js';

/** Every benchmark, run in this order. Register a new module by importing it and adding it here. */
const MODULES: BenchModule[] = [
  coldStart,
  warmAck,
  providersFanout,
  workerCreate,
  scale,
  timeToKill,
  bulkRevoke,
  leakToKill,
];

interface Row {
  module: string;
  result: BenchResult;
}

function format(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

/** The printed cells of one row: figure, value, baseline, ratio, target, verdict, note. */
function cells({ module, result: r }: Row): string[] {
  const ratio = ratioOf(r);
  const met = metTarget(r);
  const targetUnit = r.baseline || r.ratio !== undefined ? '×' : r.unit;
  return [
    module,
    r.name,
    `${format(r.value)} ${r.unit}`,
    r.baseline ? `${format(r.baseline.value)} ${r.unit} (${r.baseline.label})` : '',
    ratio === undefined ? '' : `${ratio.toFixed(2)}×`,
    r.target === undefined ? '' : `≤ ${format(r.target)} ${targetUnit}`,
    met === undefined ? '' : met ? 'ok' : 'MISS',
    r.note ?? '',
  ];
}

const HEADER = ['module', 'figure', 'value', 'baseline', 'ratio', 'target', '', 'note'];

/** Prints the results as an aligned text table. */
function printTable(rows: Row[]): void {
  const all = rows.map(cells);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...all.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) =>
    c
      .map((s, i) => s.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  console.log(`\n${line(HEADER)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const c of all) console.log(line(c));
}

/** Prints the results as a Markdown table (for the README). */
function printMarkdown(rows: Row[]): void {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  console.log(`\n| ${HEADER.map((h) => h || 'met').join(' | ')} |\n|${HEADER.map(() => '---').join('|')}|`);
  for (const c of rows.map(cells)) console.log(`| ${c.map(esc).join(' | ')} |`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const filters = args.filter((a) => !a.startsWith('-'));
  const picked = MODULES.filter((m) => filters.length === 0 || filters.some((f) => m.name.includes(f)));
  if (picked.length === 0) throw new Error(`No benchmark matches ${filters.join(', ')}.`);
  console.log(`Node ${process.version}, ${new Date().toISOString()}`);
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
  if (args.includes('--markdown')) printMarkdown(rows);
  const missed = rows.filter((r) => metTarget(r.result) === false).length;
  console.log(`\n${rows.length} figures, ${missed} target(s) missed, ${crashed} module(s) crashed.`);
  if (crashed > 0) process.exitCode = 1;
}

await main();
