// The bench-compare workloads in jax-js (WebAssembly device), printed as one JSON line.
// usage: node peers/jax.mjs WORKLOAD MNIST_DIR [EPOCHS]
import { init, jit, nn, numpy as np, tree, valueAndGrad } from '@jax-js/jax';
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

await init('wasm');
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
      v === 'At'
        ? np
            .array(heInit(k * m, 1))
            .reshape([k, m])
            .transpose()
        : np.array(heInit(m * k, 1)).reshape([m, k]);
    const b =
      v === 'Bt'
        ? np
            .array(heInit(n * k, 2))
            .reshape([n, k])
            .transpose()
        : np.array(heInit(k * n, 2)).reshape([k, n]);
    const s = bestOf(() => {
      const c = np.matmul(a.ref, b.ref);
      c.dataSync();
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
  const x = np.array(new Float32Array(16).fill(1));
  const g = valueAndGrad(f);
  const fb = bestOf(() => {
    const [v, d] = g(x.ref);
    d.dataSync();
    v.dispose();
  }, 0.5);
  const p = bestOf(() => {
    const v = f(x.ref);
    v.dataSync();
  }, 0.5);
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
  let params = {};
  for (let i = 0; i + 1 < sizes.length; i++) {
    const [fi, fo] = [sizes[i], sizes[i + 1]];
    params[`w${i}`] = np.array(heInit(fi * fo, 10 + i, 1 / Math.sqrt(fi))).reshape([fi, fo]);
    params[`b${i}`] = np.zeros([fo]);
  }
  const layers = sizes.length - 1;
  const lossFn = (p, x, y, keys) => {
    const scale = -1 / x.shape[0];
    let h = x;
    for (let i = 0; i < layers; i++) {
      h = np.matmul(h, p[`w${i}`]).add(p[`b${i}`]);
      if (i + 1 < layers) {
        h = nn.relu(h);
        h = h.mul(keys[i]);
      }
    }
    return nn.logSoftmax(h, -1).mul(y).sum().mul(scale);
  };
  // Gradients and the SGD update, each compiled with jit (eager updates are 5x slower).
  const vg = jit(valueAndGrad(lossFn));
  const update = jit((p, g) => tree.map((w, d) => w.sub(d.mul(LR)), p, g));
  const step = (p, x, y, keys) => {
    const [loss, g] = vg(tree.ref(p), x, y, keys);
    return [loss, update(p, g)];
  };
  const n = ty.length;
  let seed = 12345;
  const run = (order, s) => {
    const c = Math.min(BATCH, n - s);
    const xb = new Float32Array(c * 784);
    const yb = new Float32Array(c * 10);
    for (let i = 0; i < c; i++) {
      const r = order[s + i];
      xb.set(tx.subarray(r * 784, (r + 1) * 784), i * 784);
      yb[i * 10 + ty[r]] = 1;
    }
    // Dropout masks (already scaled by 1/0.8), drawn in JS: jax-js's random.bernoulli under
    // jit leaks memory and runs 5x slower in this version.
    const keys = sizes.slice(1, -1).map((w) => {
      const m = new Float32Array(c * w);
      for (let i = 0; i < m.length; i++) {
        seed ^= seed << 13;
        seed >>>= 0;
        seed ^= seed >>> 17;
        seed ^= seed << 5;
        seed >>>= 0;
        m[i] = seed < 0.8 * 4294967296 ? 1.25 : 0;
      }
      return np.array(m).reshape([c, w]);
    });
    const [loss, next] = step(
      params,
      np.array(xb).reshape([c, 784]),
      np.array(yb).reshape([c, 10]),
      keys,
    );
    params = next;
    return loss;
  };
  const warm = permutation(n, 99);
  for (let s = 0; s < 5 * BATCH; s += BATCH) run(warm, s).dispose();
  tree.leaves(params)[0].ref.dataSync();
  const values = {};
  let best = Infinity;
  let last;
  for (let e = 0; e < count; e++) {
    const order = permutation(n, 1 + e);
    const t0 = performance.now();
    // JAX_STEPS times only that many steps and scales the time to a full epoch: over a whole
    // epoch this runner's jax-js memory grows past wasm's 4 GiB (a leak not found yet).
    const limit = process.env.JAX_STEPS ? Math.min(n, Number(process.env.JAX_STEPS) * BATCH) : n;
    for (let s = 0; s < limit; s += BATCH) {
      if (last) last.dispose();
      last = run(order, s);
    }
    tree.leaves(params)[0].ref.dataSync();
    const sec = ((performance.now() - t0) / 1000) * (n / limit);
    if (limit < n) values['steps timed (scaled to an epoch)'] = limit / BATCH;
    values[`epoch ${e + 1} s`] = sec;
    best = Math.min(best, sec);
  }
  values['epoch s'] = best;
  values['final batch loss'] = last.dataSync()[0];
  // Test accuracy, in chunks.
  let correct = 0;
  for (let s = 0; s < vy.length; s += 2000) {
    let h = np.array(vx.slice(s * 784, (s + 2000) * 784)).reshape([2000, 784]);
    for (let i = 0; i < layers; i++) {
      h = np.matmul(h, params[`w${i}`].ref).add(params[`b${i}`].ref);
      if (i + 1 < layers) h = nn.relu(h);
    }
    const pred = np.argmax(h, 1).dataSync();
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
print(
  'jax-js',
  workload,
  {
    version: JSON.parse(
      readFileSync(new URL('../node_modules/@jax-js/jax/package.json', import.meta.url)),
    ).version,
  },
  values,
);
