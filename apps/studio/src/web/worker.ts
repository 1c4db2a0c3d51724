/**
 * The training worker: MNIST from the server's IDX files, a model and optimizer as the page
 * chose, trained by @gd/trainer's `Trainer` on the WebAssembly (or WebGPU) backend; progress, the first
 * layer's weights and the final evaluation are posted back, then the weights (safetensors) and
 * the ONNX model, both made here in the browser.
 */
import { manualSeed, noGrad } from '@gd/autograd';
import type { Tensor } from '@gd/autograd';
import { Compose, DataLoader, MNIST, Normalize, Subset, ToTensor } from '@gd/datasets';
import { Conv2d, Linear } from '@gd/nn';
import { DeepMnistNN, LogisticRegression, MnistCNN, SimpleNN } from '@gd/nn/models';
import { saveSafetensors } from '@gd/nn/safetensors';
import type { Module } from '@gd/nn';
import { exportOnnx } from '@gd/onnx';
import { Adam, AdamW, SGD } from '@gd/optim';
import { CosineAnnealingLR, OneCycleLR } from '@gd/optim/lr-scheduler';
import { initWebGpu, setBackend, wasmBackend, wasmThreads } from '@gd/tensor';
import { Trainer, evaluate } from '@gd/trainer';
import type { TrainerCallback, TrainerOptimizer, TrainerScheduler } from '@gd/trainer';
import type { FromWorker, LayerWeights, ModelName, ToWorker, TrainConfig } from './protocol.js';
import { MNIST_MEAN, MNIST_STD } from './protocol.js';

/** The worker's global scope (typed here: the project's lib is the DOM's). */
interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', fn: (e: MessageEvent<ToWorker>) => void): void;
}
const scope = self as unknown as WorkerScope;
const post = (m: FromWorker, transfer: Transferable[] = []): void => scope.postMessage(m, transfer);

const cpu = wasmBackend ? (setBackend('wasm'), 'wasm') : 'reference';
let backend: string = cpu;

/**
 * The backend a run asks for: WebGPU (its device worker bundled next to this one) or the CPU
 * one. Tensors made on one backend are read back by the other when it switches.
 */
async function useDevice(device: TrainConfig['device']): Promise<void> {
  if (device === 'webgpu') {
    await initWebGpu({ workerUrl: new URL('./webgpu-worker.js', import.meta.url) });
    backend = 'webgpu';
  } else {
    setBackend(cpu);
    backend = cpu;
  }
}

const transform = new Compose([new ToTensor(), new Normalize([MNIST_MEAN], [MNIST_STD])]);

async function fetchBytes(name: string): Promise<Uint8Array> {
  const res = await fetch(`/mnist/${name}`);
  if (!res.ok) throw new Error(`GET /mnist/${name}: ${res.status} ${res.statusText}`);
  return new Uint8Array(await res.arrayBuffer());
}

let splits: Promise<{ train: MNIST<Tensor>; test: MNIST<Tensor> }> | null = null;

/** Both splits, fetched once per worker. */
function loadMnist(): Promise<{ train: MNIST<Tensor>; test: MNIST<Tensor> }> {
  splits ??= (async () => {
    const [ti, tl, si, sl] = await Promise.all(
      [
        'train-images-idx3-ubyte',
        'train-labels-idx1-ubyte',
        't10k-images-idx3-ubyte',
        't10k-labels-idx1-ubyte',
      ].map(fetchBytes),
    );
    return {
      train: new MNIST({ train: true, images: ti!, labels: tl!, transform }),
      test: new MNIST({ train: false, images: si!, labels: sl!, transform }),
    };
  })();
  return splits;
}

function createModel(name: ModelName): Module {
  switch (name) {
    case 'logistic':
      return new LogisticRegression();
    case 'simple':
      return new SimpleNN(128);
    case 'deep':
      return new DeepMnistNN(0.2);
    case 'cnn':
      return new MnistCNN(0.25);
  }
}

function createOptimizer(config: TrainConfig, params: Tensor[]): TrainerOptimizer {
  const { lr } = config;
  switch (config.optimizer) {
    case 'sgd':
      return new SGD(params, { lr });
    case 'momentum':
      return new SGD(params, { lr, momentum: 0.9 });
    case 'adam':
      return new Adam(params, { lr });
    case 'adamw':
      return new AdamW(params, { lr });
  }
}

function createScheduler(
  config: TrainConfig,
  optimizer: TrainerOptimizer,
  totalSteps: number,
): TrainerScheduler | null {
  const opt = optimizer as ConstructorParameters<typeof CosineAnnealingLR>[0];
  switch (config.schedule) {
    case 'none':
      return null;
    case 'cosine':
      return new CosineAnnealingLR(opt, { tMax: totalSteps });
    case 'onecycle':
      return new OneCycleLR(opt, {
        maxLr: config.lr,
        totalSteps,
        cycleMomentum: config.optimizer !== 'sgd', // plain SGD has no momentum to cycle
      });
  }
}

/** The first Linear or Conv2d of the model: the layer whose weights the tiles show. */
function firstLayer(model: Module): Linear | Conv2d | null {
  for (const m of model.modules()) if (m instanceof Linear || m instanceof Conv2d) return m;
  return null;
}

async function layerWeights(layer: Linear | Conv2d, step: number): Promise<LayerWeights> {
  const w = layer.weight.detach();
  const data = Float32Array.from(await w.contiguous().dataAsync());
  return { kind: layer instanceof Linear ? 'linear' : 'conv', shape: [...w.shape], data, step };
}

let current: Trainer | null = null;

async function train(config: TrainConfig): Promise<void> {
  await useDevice(config.device);
  post({ type: 'status', text: 'Loading MNIST…', backend, threads: wasmThreads() });
  const { train: trainSet, test: testSet } = await loadMnist();
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  const trainData = new Subset(trainSet, range(Math.min(config.trainSize, trainSet.length)));
  const testData = new Subset(testSet, range(Math.min(config.testSize, testSet.length)));
  manualSeed(config.seed);
  const model = createModel(config.model);
  const loader = new DataLoader(trainData, { batchSize: config.batchSize, shuffle: true });
  const testLoader = new DataLoader(testData, { batchSize: 500 });
  const optimizer = createOptimizer(config, model.parameters());
  const scheduler = createScheduler(config, optimizer, config.epochs * loader.length);
  const layer = firstLayer(model);
  const sendWeights = async (step: number): Promise<void> => {
    if (!layer) return;
    const weights = await layerWeights(layer, step);
    post({ type: 'weights', weights }, [weights.data.buffer]);
  };
  const progress: TrainerCallback = {
    onBatchEnd: async (_, info) => {
      post({ type: 'batch', info });
      if (info.step % config.weightsEvery === 0) await sendWeights(info.step);
    },
    onTrace: (_, point) => post({ type: 'trace', x: point.x, loss: point.loss }),
    onEpochEnd: (_, record) => post({ type: 'epoch', record }),
  };
  const trainer = new Trainer({
    model,
    optimizer,
    scheduler,
    epochs: config.epochs,
    traceEvery: Math.max(1, Math.round(loader.length / 20)),
    callbacks: [progress],
  });
  current = trainer;
  post({
    type: 'status',
    text: `Training ${config.model} on ${trainData.length} images…`,
    backend,
    threads: wasmThreads(),
  });
  await sendWeights(0);
  const result = await trainer.fit(loader, { val: testLoader });
  current = null;
  await sendWeights(result.step);
  post({ type: 'status', text: 'Evaluating and exporting…' });
  model.eval();
  const evaluation = evaluate(model, testLoader);
  const example = testSet.getBatch([0, 1])[0];
  const onnx = exportOnnx(model, example, {
    metadata: {
      normalization_mean: JSON.stringify([MNIST_MEAN]),
      normalization_std: JSON.stringify([MNIST_STD]),
      class_labels: JSON.stringify([...'0123456789']),
      training_summary: JSON.stringify({ ...config, testAccuracy: evaluation.accuracy }),
    },
  });
  const safetensors = saveSafetensors(model.stateDict(), { format: 'pt' });
  const count = 16;
  const indices = range(count);
  const [x] = testSet.getBatch(indices);
  const logits = noGrad(() => model.call(x) as Tensor);
  const check = {
    inputs: Float32Array.from(await x.contiguous().dataAsync()),
    logits: Float32Array.from(await logits.contiguous().dataAsync()),
    labels: indices.map((i) => testSet.labels[i]!),
    count,
  };
  const parameters = model.parameters().reduce((n, p) => n + p.numel(), 0);
  post(
    {
      type: 'done',
      stopped: result.stopped,
      epoch: result.epoch,
      step: result.step,
      seconds: result.seconds,
      parameters,
      evaluation,
      onnx,
      safetensors,
      check,
    },
    [onnx.buffer, safetensors.buffer, check.inputs.buffer, check.logits.buffer] as Transferable[],
  );
}

scope.addEventListener('message', (e) => {
  const msg = e.data;
  if (msg.type === 'stop') {
    current?.stop();
    return;
  }
  if (current) {
    post({ type: 'error', message: 'already training: stop the current run first' });
    return;
  }
  train(msg.config).catch((err: unknown) => {
    current = null;
    post({ type: 'error', message: (err as Error).message ?? String(err) });
  });
});

post({
  type: 'status',
  text:
    backend === 'wasm'
      ? `Ready: WebAssembly backend, ${wasmThreads()} thread(s)`
      : 'Ready: reference backend (this browser lacks WebAssembly SIMD)',
  backend,
  threads: wasmThreads(),
});
