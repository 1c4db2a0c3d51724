// Helpers shared by the JS peer runners (plain JS: they run without a build).
import { readFileSync } from 'node:fs';

export const BATCH = 128;
export const LR = 0.1;
export const CHAIN = 1000;
export const SHAPES = [
  [128, 784, 512],
  [512, 512, 512],
  [1024, 1024, 1024],
  [1, 784, 512],
];

export function bestOf(fn, minS = 0.4, maxReps = 60) {
  fn();
  fn();
  let best = Infinity;
  let total = 0;
  for (let r = 0; r < maxReps && (total < minS || r < 5); r++) {
    const t0 = performance.now();
    fn();
    const dt = (performance.now() - t0) / 1000;
    total += dt;
    best = Math.min(best, dt);
  }
  return best;
}

/** An IDX file: images as float32 in [0, 1], labels as Int32Array. */
export function loadIdx(path) {
  const b = readFileSync(path);
  const magic = b.readUInt32BE(0);
  if (magic === 2051) {
    const n = b.readUInt32BE(4) * b.readUInt32BE(8) * b.readUInt32BE(12);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = b[16 + i] / 255;
    return out;
  }
  return Int32Array.from(b.subarray(8, 8 + b.readUInt32BE(4)));
}

/** The xorshift32 Fisher–Yates permutation every runner uses. */
export function permutation(n, seed) {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const j = s % (i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** Uniform(-scale, scale) weights from a seeded xorshift (PyTorch's Linear init range). */
export function heInit(n, seed, scale = 1) {
  const out = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = (s / 4294967296 - 0.5) * 2 * scale;
  }
  return out;
}

export function print(framework, workload, info, values) {
  console.log(JSON.stringify({ framework, workload, info, values }));
}
