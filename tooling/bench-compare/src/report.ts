/** Tables and files for the benchmark results. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './runner.js';
import type { Result } from './settings.js';

/** Whether a larger value of this measure is better (rates, accuracy). */
export function higherIsBetter(measure: string): boolean {
  return /x\d|accuracy|GFLOP/.test(measure) && !/ s$|us\/op|MB/.test(measure);
}

export function fmt(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(3);
}

/** Keeps the better of two results of the same framework and workload, measure by measure. */
export function better(a: Result | undefined, b: Result): Result {
  if (!a) return b;
  const values = { ...a.values };
  for (const [k, v] of Object.entries(b.values)) {
    const old = values[k];
    if (old === undefined || /accuracy|loss|rss|epoch \d/.test(k)) {
      if (old === undefined) values[k] = v;
      continue;
    }
    values[k] = higherIsBetter(k) ? Math.max(old, v) : Math.min(old, v);
  }
  return { ...a, values };
}

/** Writes bench/results/NAME.json and NAME.md at the repository root. */
export function writeResults(name: string, json: unknown, markdown: string): string {
  const dir = join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(json, null, 2) + '\n');
  writeFileSync(join(dir, `${name}.md`), markdown + '\n');
  return join(dir, `${name}.json`);
}
