/**
 * `pnpm bench` for @gd/autograd: the cost autograd adds per op (a chain of 1000 ops on a
 * 16-element tensor, forward + backward) and the backward/forward time ratio of an MLP step.
 * Printed as a table and written to bench/results/autograd.json at the repository root.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manualSeed, noGrad, randn, tensor } from '@gd/autograd';
import type { Tensor } from '@gd/autograd';

function best(fn: () => void, reps = 20): number {
  fn();
  let b = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}

const CHAIN = 1000;
const x = randn([16], { requiresGrad: true });
const chain = (): Tensor => {
  let y = x;
  for (let i = 0; i < CHAIN; i++) y = i % 2 ? y.mul(1.0001) : y.add(0.001);
  return y;
};
const fwdBwd = best(() => {
  x.grad = null;
  chain().sum().backward();
});
const fwdOnly = best(() => chain());
const plain = best(() => noGrad(() => chain()));

// MLP step: 128x784 -> 512 -> 256 -> 10 with ReLU, mean-of-logsumexp-style loss.
manualSeed(0);
const batch = randn([128, 784]);
const w1 = randn([784, 512]).mul(0.03).requiresGrad_();
const w2 = randn([512, 256]).mul(0.04).requiresGrad_();
const w3 = randn([256, 10]).mul(0.06).requiresGrad_();
const labels = tensor(
  Array.from({ length: 128 }, (_, i) => i % 10),
  { dtype: 'int32' },
);
const forward = (): Tensor => {
  const h = batch.matmul(w1).relu().matmul(w2).relu().matmul(w3);
  return h.logSoftmax(1).gather(1, labels.unsqueeze(1)).mean().neg();
};
const mlpForward = best(forward, 10);
const mlpStep = best(() => {
  for (const w of [w1, w2, w3]) w.grad = null;
  forward().backward();
}, 10);
const mlpBackward = mlpStep - mlpForward;

const rows = [
  {
    name: 'autograd overhead per op (fwd+bwd, 16 elements)',
    value: ((fwdBwd - plain) * 1000) / CHAIN,
    unit: 'µs/op',
  },
  { name: 'forward per op with graph recording', value: (fwdOnly * 1000) / CHAIN, unit: 'µs/op' },
  { name: 'forward per op under noGrad', value: (plain * 1000) / CHAIN, unit: 'µs/op' },
  { name: 'forward+backward per op', value: (fwdBwd * 1000) / CHAIN, unit: 'µs/op' },
  { name: 'MLP 784-512-256-10, batch 128: forward', value: mlpForward, unit: 'ms' },
  { name: 'MLP step: backward', value: mlpBackward, unit: 'ms' },
  { name: 'MLP step: backward / forward', value: mlpBackward / mlpForward, unit: 'ratio' },
];
const table = [
  '| measure | value |',
  '| --- | ---: |',
  ...rows.map((r) => `| ${r.name} | ${r.value.toFixed(3)} ${r.unit} |`),
].join('\n');
console.log(table);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const outDir = join(root, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'autograd.json'),
  JSON.stringify(
    { package: '@gd/autograd', node: process.version, date: new Date().toISOString(), rows },
    null,
    2,
  ) + '\n',
);
writeFileSync(join(outDir, 'autograd.md'), table + '\n');
console.log(`\nwrote ${join(outDir, 'autograd.json')}`);
