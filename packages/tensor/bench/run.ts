/**
 * `pnpm bench` for @gd/tensor: matmul GFLOP/s and elementwise throughput on every registered
 * backend, printed as a table and written to bench/results/tensor.json at the repository root.
 * Each figure is the best of several timed repetitions after a warm-up, so one noisy
 * repetition does not decide it. WebGPU runs on whatever adapter is here (Chromium's
 * SwiftShader, a software GPU on the CPU, where no Vulkan driver is named), and its rows carry
 * the adapter's name so that software-GPU figures are never read as a hardware GPU's.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import {
  listBackends,
  manualSeed,
  nativeThreads,
  randn,
  setBackend,
  synchronize,
  wasmThreads,
  webgpuBackend,
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

// The time of fn() until its work is done: on a GPU an op returns once it is queued.
function timed(fn: () => void): number {
  const t0 = performance.now();
  fn();
  synchronize();
  return performance.now() - t0;
}

function bestOf(fn: () => void, minMs = 300, maxReps = 50): number {
  timed(fn); // warm-up (JIT, scratch buffers, shader compilation)
  let best = Infinity;
  let total = 0;
  for (let r = 0; r < maxReps && (total < minMs || r < 3); r++) {
    const dt = timed(fn);
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

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
// Set before the device starts: Dawn's Vulkan loader reads them then.
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
}

function label(name: string): string {
  if (name === 'native') return `native (${nativeThreads()} threads)`;
  if (name === 'wasm') return `wasm (${wasmThreads()} threads)`;
  if (name === 'webgpu') return `webgpu (${webgpuBackend.adapter ?? 'unnamed adapter'})`;
  return name;
}

// Every registered backend, fastest first (each op goes through the active one).
const rows: Row[] = [];
const notes: string[] = [];
for (const name of listBackends()) {
  try {
    setBackend(name);
  } catch (e) {
    // WebGPU without an adapter: said, not measured.
    notes.push(`${name}: not run (${(e as Error).message.split('\n')[0]})`);
    continue;
  }
  current = label(name);
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
for (const note of notes) console.log(`\n${note}`);

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
      notes,
    },
    null,
    2,
  ) + '\n',
);
const noteLines = notes.length > 0 ? ['', ...notes.map((n) => `- ${n}`)] : [];
writeFileSync(join(outDir, 'tensor.md'), [table, ...noteLines].join('\n') + '\n');
console.log(`\nwrote ${file}`);
