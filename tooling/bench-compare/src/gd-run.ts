/**
 * Runs one workload in gd and prints its Result as one JSON line:
 *   node dist/gd-run.js matmul | conv | autograd | logreg|simple|deep|resnet|cnn [epochs] | lstm | transformer
 *                       | profile-<model>
 * The backend and thread count come from GD_BACKEND and GD_NUM_THREADS; the CNN trains on the
 * first CNN_IMAGES training images (default 10000) per epoch.
 */
import { fromTypedArray, manualSeed, noGrad, randn, tensor } from '@gd/autograd';
import type { Tensor } from '@gd/autograd';
import { F, Linear, Module as ModuleClass, ReLU, Sequential } from '@gd/nn';
import { DeepMnistNN, LogisticRegression, MnistCNN, ResNet, SimpleNN } from '@gd/nn/models';
import { TransformerEncoder, TransformerEncoderLayer } from '@gd/nn/transformer';
import { LSTM } from '@gd/nn/rnn';
import type { Module } from '@gd/nn';
import { SGD } from '@gd/optim';
import type { Backend } from '@gd/tensor';
import {
  conv2d,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  getBackend,
  nativeSimd,
  registerBackend,
  setBackend,
  nativeThreads,
  synchronize,
  wasmThreads,
  webgpuBackend,
} from '@gd/tensor';
import { gatherRows, loadMnist, permutation } from './mnist.js';
import { profileSteps } from './profile.js';
import type { Result } from './settings.js';
import {
  BATCH,
  CHAIN,
  CNN_IMAGES,
  CONV_LAYERS,
  LR,
  MATMUL_SHAPES,
  STEP_SHAPES,
} from './settings.js';
import type { EpochWorkload, StepWorkload } from './settings.js';

/** Milliseconds of untimed calls before {@link bestOf} times one (at most 5,000 calls). */
const WARM_UP_MS = 200;

/**
 * The fastest of up to `maxReps` timed calls, after a warm-up of WARM_UP_MS (at least two
 * calls): V8 compiles the JavaScript an op goes through with its optimizing compiler only after
 * some hundreds of calls, and a product of a few microseconds timed before that times the
 * interpreter. The PyTorch runner warms up the same way.
 */
function bestOf(fn: () => void, minMs = 400, maxReps = 60): number {
  const warmEnd = performance.now() + WARM_UP_MS;
  for (let i = 0; i < 2 || (i < 5000 && performance.now() < warmEnd); i++) fn();
  let best = Infinity;
  let total = 0;
  for (let r = 0; r < maxReps && (total < minMs || r < 5); r++) {
    const t0 = performance.now();
    fn();
    const dt = performance.now() - t0;
    total += dt;
    best = Math.min(best, dt);
  }
  return best;
}

function info(): Record<string, string | number> {
  const b = getBackend().name;
  const threads = b === 'native' ? nativeThreads() : b === 'wasm' ? wasmThreads() : 1;
  const i: Record<string, string | number> = { backend: b, threads, node: process.version };
  if (process.execArgv.length) i.nodeFlags = process.execArgv.join(' ');
  if (b === 'native') i.simd = nativeSimd() ?? '';
  if (b === 'webgpu') i.adapter = webgpuBackend.adapter ?? 'unknown adapter';
  return i;
}

function matmul(): Result {
  const values: Record<string, number> = {};
  manualSeed(0);
  const shapes: [number, number, number, string][] = [
    ...MATMUL_SHAPES.map(([m, k, n]): [number, number, number, string] => [m, k, n, '']),
    [128, 784, 512, 'At'],
    [128, 784, 512, 'Bt'],
    // M x K x 10: a 10-class Linear layer, x @ W.t() (the issue's skinny shapes)
    [128, 784, 10, 'Bt'],
  ];
  for (const [m, k, n, variant] of shapes) {
    const a = variant === 'At' ? randn([k, m]).t() : randn([m, k]);
    const b = variant === 'Bt' ? randn([n, k]).t() : randn([k, n]);
    // synchronize(): on a GPU the product is only queued when matmul returns.
    const ms = bestOf(() => {
      noGrad(() => a.matmul(b));
      synchronize();
    });
    values[`${m}x${k}x${n}${variant ? ` ${variant}` : ''}`] = (2 * m * n * k) / (ms * 1e6);
  }
  return { framework: 'gd', workload: 'matmul', info: info(), values };
}

// The CNN's convolution layers at @gd/tensor's level (the kernels autograd's conv2d op runs):
// forward, input gradient, weight gradient, each in GFLOP/s.
function conv(): Result {
  const values: Record<string, number> = {};
  manualSeed(0);
  const options = { padding: 1 };
  for (const layer of CONV_LAYERS) {
    const [n, c, h, w] = layer.input;
    const x = randn([...layer.input]).value;
    const weight = randn([layer.out, c, 3, 3]).value;
    const bias = randn([layer.out]).value;
    const g = randn([n, layer.out, h, w]).value;
    const flops = 2 * n * layer.out * h * w * c * 9;
    const gflops = (ms: number): number => flops / (ms * 1e6);
    values[`${layer.name} forward`] = gflops(bestOf(() => conv2d(x, weight, bias, options)));
    values[`${layer.name} input grad`] = gflops(
      bestOf(() => conv2dBackwardInput(g, x.shape, weight, options)),
    );
    values[`${layer.name} weight grad`] = gflops(
      bestOf(() => conv2dBackwardWeight(g, x, weight.shape, options)),
    );
  }
  return { framework: 'gd', workload: 'conv', info: info(), values };
}

function autograd(): Result {
  const x = randn([16], { requiresGrad: true });
  const chain = (): Tensor => {
    let y = x;
    for (let i = 0; i < CHAIN; i++) y = i % 2 ? y.mul(1.0001) : y.add(0.001);
    return y;
  };
  const fwdBwd = bestOf(() => {
    x.grad = null;
    chain().sum().backward();
  }, 500);
  const plain = bestOf(() => noGrad(() => chain()), 500);
  return {
    framework: 'gd',
    workload: 'autograd',
    info: info(),
    values: {
      'overhead us/op': ((fwdBwd - plain) * 1000) / CHAIN,
      'fwd+bwd us/op': (fwdBwd * 1000) / CHAIN,
      'noGrad fwd us/op': (plain * 1000) / CHAIN,
    },
  };
}

function accuracy(
  model: Module<[Tensor], Tensor>,
  x: Float32Array,
  y: Int32Array,
  shape: readonly number[],
): number {
  model.eval();
  let correct = 0;
  const n = y.length;
  const chunk = 2000;
  noGrad(() => {
    for (let s = 0; s < n; s += chunk) {
      const c = Math.min(chunk, n - s);
      const logits = model.call(fromTypedArray(x.subarray(s * 784, (s + c) * 784), [c, ...shape]));
      const pred = logits.argmax(1).value.data;
      for (let i = 0; i < c; i++) if (pred[i] === y[s + i]) correct++;
    }
  });
  model.train();
  return correct / n;
}

const MODELS: Record<EpochWorkload, () => Module<[Tensor], Tensor>> = {
  logreg: () => new LogisticRegression(),
  simple: () => new SimpleNN(),
  deep: () => new DeepMnistNN(),
  // The lecture's ResNet(128, 2) between a Linear(784, 128) + ReLU stem and a Linear(128, 10)
  // head (gd-train's resnet model).
  resnet: () =>
    new Sequential(new Linear(784, 128), new ReLU(), new ResNet(128, 2), new Linear(128, 10)),
  cnn: () => new MnistCNN(),
};

function epochs(kind: EpochWorkload, count: number): Result {
  const data = loadMnist();
  manualSeed(0);
  const model = MODELS[kind]();
  const opt = new SGD(model.parameters(), { lr: LR });
  const n = kind === 'cnn' ? CNN_IMAGES : data.trainY.length;
  // Images as the model takes them: flat rows, or [1, 28, 28] planes for the CNN.
  const shape = kind === 'cnn' ? [1, 28, 28] : [784];
  const step = (order: Int32Array, s: number): Tensor => {
    const c = Math.min(BATCH, n - s);
    const xb = new Float32Array(c * 784);
    gatherRows(data.trainX, 784, order, s, c, xb);
    const yb = new Int32Array(c);
    for (let i = 0; i < c; i++) yb[i] = data.trainY[order[s + i]!]!;
    const loss = F.crossEntropy(model.call(fromTypedArray(xb, [c, ...shape])), tensor(yb));
    opt.zeroGrad();
    loss.backward();
    opt.step();
    return loss;
  };
  model.train();
  // Warm-up: a few steps (JIT, thread start-up), then the timed epochs.
  const warm = permutation(n, 99);
  for (let s = 0; s < 5 * BATCH; s += BATCH) step(warm, s);
  const values: Record<string, number> = {};
  let best = Infinity;
  let last: Tensor | undefined;
  for (let e = 0; e < count; e++) {
    const order = permutation(n, 1 + e);
    const t0 = performance.now();
    for (let s = 0; s < n; s += BATCH) last = step(order, s);
    const sec = (performance.now() - t0) / 1000;
    best = Math.min(best, sec);
    values[`epoch ${e + 1} s`] = sec;
    values[`rss after epoch ${e + 1} MB`] = process.memoryUsage().rss / 2 ** 20;
  }
  values['epoch s'] = best;
  values['final batch loss'] = last ? last.item() : NaN;
  values['test accuracy'] = accuracy(model, data.testX, data.testY, shape);
  values['peak rss MB'] = process.resourceUsage().maxRSS / 1024;
  return { framework: 'gd', workload: kind, info: info(), values };
}

/**
 * Milliseconds per training step of a model (batch 128 of MNIST, SGD), each step waited for
 * with synchronize(): the figure for backends where an epoch would take too long to time
 * (a software GPU).
 */
function steps(kind: EpochWorkload, count: number): Result {
  const data = loadMnist();
  manualSeed(0);
  const model = MODELS[kind]();
  const opt = new SGD(model.parameters(), { lr: LR });
  const shape = kind === 'cnn' ? [1, 28, 28] : [784];
  const x = fromTypedArray(data.trainX.slice(0, BATCH * 784), [BATCH, ...shape]);
  const y = tensor(data.trainY.slice(0, BATCH));
  const step = (): void => {
    const loss = F.crossEntropy(model.call(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    synchronize();
  };
  model.train();
  step();
  step();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    step();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)]!;
  return {
    framework: 'gd',
    workload: `step-${kind}`,
    info: info(),
    values: { 'ms/step (median)': ms, 'img/s': (BATCH * 1000) / ms },
  };
}

class LstmStep extends ModuleClass {
  readonly lstm: LSTM;
  readonly head: Linear;
  constructor() {
    super();
    const c = STEP_SHAPES.lstm;
    this.lstm = new LSTM(c.input, c.hidden, { batchFirst: true });
    this.head = new Linear(c.hidden, 10);
  }
  forward(x: Tensor): Tensor {
    const [out] = this.lstm.call(x);
    return this.head.call(out.select(1, out.shape[1]! - 1));
  }
}

class EncoderStep extends ModuleClass {
  readonly encoder: TransformerEncoder;
  readonly head: Linear;
  constructor() {
    super();
    const c = STEP_SHAPES.transformer;
    const layer = new TransformerEncoderLayer(c.dModel, c.nhead, {
      dimFeedforward: c.ff,
      dropout: 0,
      batchFirst: true,
    });
    this.encoder = new TransformerEncoder(layer, c.layers);
    this.head = new Linear(c.dModel, 10);
  }
  forward(x: Tensor): Tensor {
    return this.head.call(this.encoder.call(x).mean(1));
  }
}

/** How many kernel calls one run of `fn` makes (through a counting wrapper of the backend). */
function kernelCalls(fn: () => void): number {
  const inner = getBackend();
  let calls = 0;
  const counted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inner)) {
    counted[key] =
      typeof value === 'function'
        ? (...args: unknown[]): unknown => {
            calls++;
            return (value as (...a: unknown[]) => unknown).apply(inner, args);
          }
        : value;
  }
  counted.name = `${inner.name}+count`;
  registerBackend(counted as unknown as Backend, -1);
  setBackend(counted.name as string);
  try {
    fn();
  } finally {
    setBackend(inner.name);
  }
  return calls;
}

/** One SGD step of a layer workload on fixed random data: best step time over a few dozen. */
function layerSteps(kind: StepWorkload): Result {
  manualSeed(0);
  const model = kind === 'lstm' ? new LstmStep() : new EncoderStep();
  const shape =
    kind === 'lstm'
      ? [STEP_SHAPES.lstm.batch, STEP_SHAPES.lstm.seq, STEP_SHAPES.lstm.input]
      : [
          STEP_SHAPES.transformer.batch,
          STEP_SHAPES.transformer.seq,
          STEP_SHAPES.transformer.dModel,
        ];
  const x = randn(shape);
  const y = tensor(Int32Array.from({ length: shape[0]! }, (_, i) => i % 10));
  const opt = new SGD(model.parameters(), { lr: 0.01 });
  const step = (): void => {
    const loss = F.crossEntropy(model.call(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
  };
  const ms = bestOf(step, 2000, 40);
  return {
    framework: 'gd',
    workload: kind,
    info: info(),
    values: { 'step ms': ms, 'kernels per step': kernelCalls(step) },
  };
}

const [workload = 'matmul', arg] = process.argv.slice(2);
let result: Result;
switch (workload) {
  case 'matmul':
    result = matmul();
    break;
  case 'autograd':
    result = autograd();
    break;
  case 'conv':
    result = conv();
    break;
  case 'logreg':
  case 'simple':
  case 'deep':
  case 'resnet':
  case 'cnn':
    result = epochs(workload, Number(arg ?? 2));
    break;
  case 'step-deep':
  case 'step-cnn':
    result = steps(workload.slice('step-'.length) as EpochWorkload, Number(arg ?? 5));
    break;
  case 'lstm':
  case 'transformer':
    result = layerSteps(workload);
    break;
  case 'profile-logreg':
  case 'profile-simple':
  case 'profile-deep':
  case 'profile-resnet':
  case 'profile-cnn': {
    const kind = workload.slice('profile-'.length) as EpochWorkload;
    const values = profileSteps(MODELS[kind](), kind === 'cnn' ? [1, 28, 28] : [784]);
    result = { framework: 'gd', workload, info: info(), values };
    break;
  }
  default:
    throw new Error(`unknown workload ${workload}`);
}
console.log(JSON.stringify(result));
