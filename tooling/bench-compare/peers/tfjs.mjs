// The bench-compare workloads in TensorFlow.js with its WebAssembly backend, one JSON line.
// usage: node peers/tfjs.mjs WORKLOAD MNIST_DIR [EPOCHS]
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bestOf,
  loadIdx,
  permutation,
  print,
  BATCH,
  LR,
  CHAIN,
  SHAPES,
  heInit,
} from './common.mjs';

await tf.setBackend('wasm');
await tf.ready();
const [workload, mnistDir, epochArg] = process.argv.slice(2);

function matmul() {
  const values = {};
  const shapes = [
    ...SHAPES.map((s) => [...s, '']),
    [128, 784, 512, 'At'],
    [128, 784, 512, 'Bt'],
    [128, 784, 10, 'Bt'],
  ];
  for (const [m, k, n, v] of shapes) {
    const a =
      v === 'At' ? tf.tensor2d(heInit(k * m, 1), [k, m]) : tf.tensor2d(heInit(m * k, 1), [m, k]);
    const b =
      v === 'Bt' ? tf.tensor2d(heInit(n * k, 2), [n, k]) : tf.tensor2d(heInit(k * n, 2), [k, n]);
    const s = bestOf(() => {
      const c = tf.matMul(a, b, v === 'At', v === 'Bt');
      c.dataSync();
      c.dispose();
    });
    values[`${m}x${k}x${n}${v ? ` ${v}` : ''}`] = (2 * m * n * k) / (s * 1e9);
  }
  return values;
}

function autograd() {
  const f = (x) => {
    let y = x;
    for (let i = 0; i < CHAIN; i++) y = i % 2 ? y.mul(1.0001) : y.add(0.001);
    return y.sum();
  };
  const x = tf.ones([16]);
  const g = tf.grad(f);
  const fb = bestOf(() => tf.tidy(() => g(x).dataSync()), 0.5);
  const p = bestOf(() => tf.tidy(() => f(x).dataSync()), 0.5);
  return {
    'overhead us/op': ((fb - p) * 1e6) / CHAIN,
    'fwd+bwd us/op': (fb * 1e6) / CHAIN,
    'noGrad fwd us/op': (p * 1e6) / CHAIN,
  };
}

function epochs(kind, count) {
  const tx = loadIdx(join(mnistDir, 'train-images-idx3-ubyte'));
  const ty = loadIdx(join(mnistDir, 'train-labels-idx1-ubyte'));
  const vx = loadIdx(join(mnistDir, 't10k-images-idx3-ubyte'));
  const vy = loadIdx(join(mnistDir, 't10k-labels-idx1-ubyte'));
  const sizes = kind === 'deep' ? [784, 512, 256, 10] : [784, 10];
  const vars = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const [fi, fo] = [sizes[i], sizes[i + 1]];
    vars.push(tf.variable(tf.tensor2d(heInit(fi * fo, 10 + i, 1 / Math.sqrt(fi)), [fi, fo])));
    vars.push(tf.variable(tf.zeros([fo])));
  }
  const layers = sizes.length - 1;
  const forward = (x, training) => {
    let h = x;
    for (let i = 0; i < layers; i++) {
      h = tf.add(tf.matMul(h, vars[2 * i]), vars[2 * i + 1]);
      if (i + 1 < layers) {
        h = tf.relu(h);
        if (training) h = tf.dropout(h, 0.2);
      }
    }
    return h;
  };
  const opt = tf.train.sgd(LR);
  const n = ty.length;
  const run = (order, s) => {
    const c = Math.min(BATCH, n - s);
    const xb = new Float32Array(c * 784);
    const yb = new Int32Array(c);
    for (let i = 0; i < c; i++) {
      const r = order[s + i];
      xb.set(tx.subarray(r * 784, (r + 1) * 784), i * 784);
      yb[i] = ty[r];
    }
    return tf.tidy(() => {
      const x = tf.tensor2d(xb, [c, 784]);
      const y = tf.oneHot(tf.tensor1d(yb, 'int32'), 10);
      return opt.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(x, true)), true);
    });
  };
  const warm = permutation(n, 99);
  for (let s = 0; s < 5 * BATCH; s += BATCH) run(warm, s).dispose();
  const values = {};
  let best = Infinity;
  let last;
  for (let e = 0; e < count; e++) {
    const order = permutation(n, 1 + e);
    const t0 = performance.now();
    for (let s = 0; s < n; s += BATCH) {
      if (last) last.dispose();
      last = run(order, s);
    }
    vars[0].dataSync();
    const sec = (performance.now() - t0) / 1000;
    values[`epoch ${e + 1} s`] = sec;
    best = Math.min(best, sec);
  }
  values['epoch s'] = best;
  values['final batch loss'] = last.dataSync()[0];
  let correct = 0;
  for (let s = 0; s < vy.length; s += 2000) {
    const pred = tf.tidy(() =>
      forward(tf.tensor2d(vx.slice(s * 784, (s + 2000) * 784), [2000, 784]), false)
        .argMax(1)
        .dataSync(),
    );
    for (let i = 0; i < 2000; i++) if (pred[i] === vy[s + i]) correct++;
  }
  values['test accuracy'] = correct / vy.length;
  values['peak rss MB'] = process.resourceUsage().maxRSS / 1024;
  return values;
}

const values =
  workload === 'matmul'
    ? matmul()
    : workload === 'autograd'
      ? autograd()
      : epochs(workload, Number(epochArg ?? 1));
print('tfjs-wasm', workload, { version: tf.version.tfjs }, values);
