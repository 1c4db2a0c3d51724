/**
 * `pnpm bench` for @gd/tensor: matmul GFLOP/s and elementwise throughput on every registered
 * backend, printed as a table and written to bench/results/tensor.json at the repository root.
 * Each figure is the best of several timed repetitions after a warm-up, so one noisy
 * repetition does not decide it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import {
  listBackends,
  manualSeed,
  nativeThreads,
  randn,
  setBackend,
  wasmThreads,
} from '@gd/tensor';
import type { NDArray } from '@gd/tensor';

interface Row {
  backend: string;
  name: string;
  shape: string;
  ms: number;
  rate: number;
  unit: string;
}

function bestOf(fn: () => void, minMs = 300, maxReps = 50): number {
  fn(); // warm-up (JIT, scratch buffers)
  let best = Infinity;
  let total = 0;
  for (let r = 0; r < maxReps && (total < minMs || r < 3); r++) {
    const t0 = performance.now();
    fn();
    const dt = performance.now() - t0;
    total += dt;
    best = Math.min(best, dt);
  }
  return best;
}

function matmulRow(m: number, k: number, n: number, transposeB = false): Row {
  manualSeed(0);
  const a = randn([m, k]);
  const b = transposeB ? randn([n, k]).t() : randn([k, n]);
  const ms = bestOf(() => a.matmul(b));
  return {
    backend: current,
    name: transposeB ? 'matmul (B transposed view)' : 'matmul',
    shape: `${m}x${k}x${n}`,
    ms,
    rate: (2 * m * k * n) / (ms * 1e6),
    unit: 'GFLOP/s',
  };
}

function elementwiseRow(
  name: string,
  n: number,
  op: (x: NDArray, y: NDArray) => NDArray,
  makeY: (x: NDArray) => NDArray = (x) => x,
): Row {
  manualSeed(1);
  const x = randn([n]);
  const y = makeY(x);
  const ms = bestOf(() => op(x, y));
  return { backend: current, name, shape: `${n}`, ms, rate: n / (ms * 1e6), unit: 'Gelem/s' };
}

let current = '';
const measure = (): Row[] => [
  matmulRow(128, 784, 512),
  matmulRow(512, 512, 512),
  matmulRow(1024, 1024, 1024),
  matmulRow(128, 784, 512, true),
  matmulRow(1, 784, 512),
  elementwiseRow('add (contiguous)', 1 << 20, (x, y) => x.add(y)),
  elementwiseRow(
    'mul (broadcast row)',
    1 << 20,
    (x, y) => x.view(1024, 1024).mul(y),
    (x) => x.narrow(0, 0, 1024),
  ),
  elementwiseRow(
    'add (transposed)',
    1 << 20,
    (x, y) => x.view(1024, 1024).t().add(y.view(1024, 1024)),
    (x) => x.clone(),
  ),
  elementwiseRow('exp', 1 << 20, (x) => x.exp()),
  elementwiseRow('relu', 1 << 20, (x) => x.relu()),
  elementwiseRow('sum (all)', 1 << 20, (x) => x.sum()),
  elementwiseRow('sum (dim 0 of 1024x1024)', 1 << 20, (x) => x.view(1024, 1024).sum(0)),
  elementwiseRow('softmax (rows of 1024)', 1 << 20, (x) => x.view(1024, 1024).softmax(1)),
];

// Every registered backend, fastest first (each op goes through the active one).
const rows: Row[] = [];
for (const name of listBackends()) {
  setBackend(name);
  current =
    name === 'native'
      ? `native (${nativeThreads()} threads)`
      : name === 'wasm'
        ? `wasm (${wasmThreads()} threads)`
        : name;
  rows.push(...measure());
}

const table = [
  '| backend | op | shape | best ms | rate |',
  '| --- | --- | --- | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.backend} | ${r.name} | ${r.shape} | ${r.ms.toFixed(3)} | ${r.rate.toFixed(2)} ${r.unit} |`,
  ),
].join('\n');
console.log(
  `@gd/tensor on backends ${listBackends().join(', ')}, Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}\n`,
);
console.log(table);

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const outDir = join(root, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, 'tensor.json');
writeFileSync(
  file,
  JSON.stringify(
    {
      package: '@gd/tensor',
      backends: listBackends(),
      node: process.version,
      cpu: cpus()[0]?.model,
      date: new Date().toISOString(),
      rows,
    },
    null,
    2,
  ) + '\n',
);
writeFileSync(join(outDir, 'tensor.md'), table + '\n');
console.log(`\nwrote ${file}`);
