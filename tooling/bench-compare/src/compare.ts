/**
 * `pnpm bench:compare`: the same workloads in gd and in the peers installed here (PyTorch via
 * /usr/bin/python3 with OMP_WAIT_POLICY=PASSIVE, jax-js, TensorFlow.js's wasm backend),
 * interleaved workload by workload so that the machine's state drifts equally for all, with
 * gd's time as a ratio to each peer's. Writes bench/results/compare.{json,md}.
 *
 *   node dist/compare.js [--workloads=matmul,conv,autograd,logreg,simple,deep,resnet,cnn,lstm,transformer]
 *                        [--repeat=1]
 *                        [--threads=N] [--epochs=N] [--peer-epochs=1] [--only=gd,pytorch]
 *                        [--name=compare] (the results file: bench/results/<name>.{json,md})
 *
 * --epochs: gd's and PyTorch's epochs per round for every training workload (by default each
 * workload's EPOCHS, enough for both to reach their steady state); the table keeps the fastest
 * epoch, the first and the mean.
 */
import { availableParallelism } from 'node:os';
import { better, fmt, higherIsBetter, writeResults } from './report.js';
import type { Framework } from './runner.js';
import { gd, peers, run } from './runner.js';
import type { EpochWorkload, Result } from './settings.js';
import { EPOCHS } from './settings.js';

function option(name: string, fallback: string): string {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
}

const workloads = option(
  'workloads',
  'matmul,conv,autograd,logreg,simple,deep,resnet,cnn,lstm,transformer',
).split(',');
const repeat = Number(option('repeat', '1'));
const threads = Number(option('threads', String(availableParallelism())));
const epochsOption = option('epochs', '');
const peerEpochs = Number(option('peer-epochs', '1'));
const only = option('only', '');
const name = option('name', 'compare');

const all: Framework[] = [gd(), ...peers()];
const frameworks = all.filter((f) => !only || only.split(',').includes(f.name));
for (const f of frameworks) if (f.missing) console.log(`skipping ${f.name}: ${f.missing}`);
const active = frameworks.filter((f) => !f.missing);

// Per workload: the columns ("framework" or "framework, 1 thread") and their results.
const table = new Map<string, Map<string, Result>>();
const errors: string[] = [];

/**
 * A training run's first epoch and its mean epoch (the whole run over its epochs: what a user
 * who times the run sees), beside the fastest epoch the runners report.
 */
function withEpochSummary(r: Result): Result {
  const epochs = Object.entries(r.values)
    .filter(([k]) => /^epoch \d+ s$/.test(k))
    .map(([, v]) => v);
  if (epochs.length === 0) return r;
  const mean = epochs.reduce((a, b) => a + b, 0) / epochs.length;
  return { ...r, values: { ...r.values, 'first epoch s': epochs[0]!, 'mean epoch s': mean } };
}

function record(workload: string, column: string, result: Result | { error: string }): void {
  if ('error' in result) {
    errors.push(`${column} ${workload}: ${result.error}`);
    console.log(`  ${column}: failed (${result.error})`);
    return;
  }
  const r = withEpochSummary(result);
  const row = table.get(workload) ?? new Map<string, Result>();
  row.set(column, better(row.get(column), r));
  table.set(workload, row);
  const main =
    r.values['epoch s'] ??
    r.values['step ms'] ??
    r.values['overhead us/op'] ??
    r.values['128x784x512'] ??
    r.values['conv2 forward'];
  console.log(`  ${column}: ${fmt(main)}`);
}

const slow = new Set(['jax-js', 'tfjs-wasm']);
for (const workload of workloads) {
  for (let rep = 0; rep < repeat; rep++) {
    console.log(`${workload} (round ${rep + 1}/${repeat}, ${threads} threads)`);
    for (const f of active) {
      const own = epochsOption ? Number(epochsOption) : (EPOCHS[workload as EpochWorkload] ?? 2);
      const epochs = f.name.startsWith('gd') || f.name === 'pytorch' ? own : peerEpochs;
      if (rep > 0 && slow.has(f.name) && (workload === 'deep' || workload === 'logreg')) continue;
      // The conv layers, the simple MLP, the ResNet, the CNN and the layer steps have runners in gd
      // and PyTorch only
      // (TF.js 4.22's wasm backend cannot train the CNN: it has no Conv2DBackpropFilter kernel).
      const ownOnly = ['conv', 'simple', 'resnet', 'cnn', 'lstm', 'transformer'];
      if (slow.has(f.name) && ownOnly.includes(workload)) continue;
      // jax-js: a full deep epoch outgrows wasm's 4 GiB in this runner; time 150 steps.
      const extra: Record<string, string> =
        f.name === 'jax-js' && workload === 'deep' ? { JAX_STEPS: '150' } : {};
      record(
        workload,
        f.name,
        run(f, workload, epochs, { GD_NUM_THREADS: String(threads), ...extra }),
      );
      // Matmul at one thread too, for the same-thread-count comparison.
      if (workload === 'matmul' && threads > 1 && (f.name === 'gd' || f.name === 'pytorch')) {
        record(workload, `${f.name}, 1 thread`, run(f, workload, epochs, { GD_NUM_THREADS: '1' }));
      }
    }
  }
}

// Markdown: one table per workload, gd first, then each column's value and gd's ratio to it.
const lines: string[] = [
  `# gd vs peers (${new Date().toISOString().slice(0, 10)}, ${threads} threads, node ${process.version})`,
  '',
  "Ratios are gd's time divided by the peer's (below 1: gd is faster). For rates (GFLOP/s) the",
  "ratio is the peer's rate over gd's, which is the same time ratio.",
  '',
];
for (const [workload, row] of table) {
  const cols = [...row.keys()];
  const base = (col: string): string =>
    col.endsWith(', 1 thread') ? (cols.find((c) => c === 'gd, 1 thread') ?? 'gd') : 'gd';
  const measures = [...new Set(cols.flatMap((c) => Object.keys(row.get(c)!.values)))].filter(
    (m) => !/^epoch \d|rss after|final batch loss/.test(m),
  );
  lines.push(`## ${workload}`, '');
  const peerCols = cols.filter((c) => !c.startsWith('gd'));
  const gdCols = cols.filter((c) => c.startsWith('gd'));
  lines.push(
    `| measure | ${gdCols.join(' | ')} | ${peerCols.map((c) => `${c} | gd/${c.split(',')[0]}`).join(' | ')} |`,
    `| --- | ${gdCols.map(() => '---:').join(' | ')} | ${peerCols.map(() => '---: | ---:').join(' | ')} |`,
  );
  for (const m of measures) {
    const cells = gdCols.map((c) => fmt(row.get(c)!.values[m]));
    for (const c of peerCols) {
      const v = row.get(c)!.values[m];
      const g = row.get(base(c))?.values[m];
      let ratio = '';
      if (v !== undefined && g !== undefined && !/accuracy|rss|loss/.test(m)) {
        ratio = `${(higherIsBetter(m) ? v / g : g / v).toFixed(2)}x`;
      }
      cells.push(fmt(v), ratio);
    }
    lines.push(`| ${m} | ${cells.join(' | ')} |`);
  }
  lines.push('');
}
if (errors.length) lines.push('## failures', '', ...errors.map((e) => `- ${e}`), '');
const markdown = lines.join('\n');
console.log('\n' + markdown);
const file = writeResults(
  name,
  {
    date: new Date().toISOString(),
    threads,
    node: process.version,
    results: Object.fromEntries([...table].map(([w, row]) => [w, Object.fromEntries(row)])),
    errors,
  },
  markdown,
);
console.log(`wrote ${file}`);
