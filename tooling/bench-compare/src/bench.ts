/**
 * gd's part of `pnpm bench`: matmul GFLOP/s, autograd overhead per op, and one epoch of MNIST
 * logistic regression and of the deep network (784-512-256-10, ReLU, dropout 0.2, SGD lr 0.1,
 * batch 128) with test accuracy and peak RSS, on every fast backend available here. Each
 * workload runs in its own process. Writes bench/results/training.{json,md}.
 */
import { availableParallelism } from 'node:os';
import { fmt, writeResults } from './report.js';
import { gd, run } from './runner.js';
import type { Result } from './settings.js';

const backends = ['native', 'wasm'];
const workloads = ['matmul', 'autograd', 'logreg', 'deep'];
const threads = String(availableParallelism());
const results: Result[] = [];
const notes: string[] = [];
for (const backend of backends) {
  for (const workload of workloads) {
    const r = run(gd(backend), workload, 2, { GD_NUM_THREADS: threads });
    if ('error' in r) {
      notes.push(`gd-${backend} ${workload}: ${r.error}`);
      console.log(`gd-${backend} ${workload}: not run (${r.error.slice(0, 200)})`);
      continue;
    }
    results.push(r);
    console.log(`gd-${backend} ${workload}: ${JSON.stringify(r.values)}`);
  }
}
const lines = ['| backend | workload | measure | value |', '| --- | --- | --- | ---: |'];
for (const r of results) {
  for (const [k, v] of Object.entries(r.values)) {
    lines.push(
      `| ${r.framework} (${r.info?.threads ?? '?'} threads) | ${r.workload} | ${k} | ${fmt(v)} |`,
    );
  }
}
if (notes.length) lines.push('', ...notes.map((n) => `- ${n}`));
const markdown = lines.join('\n');
console.log('\n' + markdown);
console.log(
  `\nwrote ${writeResults('training', { date: new Date().toISOString(), node: process.version, results, notes }, markdown)}`,
);
