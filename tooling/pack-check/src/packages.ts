/**
 * The published packages and, for each, a consumer program that uses only its public entry
 * point — what a user writes after `pnpm add`. Later packages join this list.
 */
export interface PackedPackage {
  /** Workspace folder, relative to the repository root. */
  dir: string;
  /** Package name. */
  name: string;
  /** A JS (ESM) program that must run and print `ok` when the package is installed alone. */
  program: string;
  /** A TypeScript program that must type-check against the package's declarations. */
  typescript: string;
}

export const PACKAGES: PackedPackage[] = [
  {
    dir: 'packages/tensor',
    name: '@gd/tensor',
    program: `
      import { manualSeed, randn, tensor, arange, conv2d, zeros } from '@gd/tensor';
      manualSeed(42);
      const X = randn([1000, 3]);
      const w = tensor([1.0, -0.5, 0.25]);
      const y = X.matmul(w);
      if (y.shape[0] !== 1000) throw new Error('bad shape');
      if (Math.abs(X.index(0, 0).item() - 1.9269) > 1e-4) throw new Error('seeded stream differs');
      const img = conv2d(randn([1, 1, 5, 5]), randn([2, 1, 3, 3]), zeros(2), { padding: 1 });
      if (img.shape.join() !== '1,2,5,5') throw new Error('conv shape');
      console.log(String(arange(3)) === 'tensor([0, 1, 2])' ? 'ok' : 'bad print');
    `,
    typescript: `
      import { tensor, type NDArray, type DType } from '@gd/tensor';
      const x: NDArray = tensor([[1, 2], [3, 4]]);
      const d: DType = x.dtype;
      const n: number = x.sum().item();
      export { d, n };
    `,
  },
  {
    dir: 'packages/autograd',
    name: '@gd/autograd',
    program: `
      import { tensor, grad, noGrad } from '@gd/autograd';
import { renderSvg } from '@gd/autograd/graph';
      const x = tensor([0.0], { requiresGrad: true });
      const y = x.pow(2).sub(x.mul(2)).add(1);
      y.backward();
      if (x.grad.item() !== -2) throw new Error('wrong gradient');
      const a = tensor([2.0], { requiresGrad: true });
      const [da] = grad(a.pow(3), a, { createGraph: true });
      const [d2a] = grad(da, a);
      if (d2a.item() !== 12) throw new Error('wrong second derivative');
      if (noGrad(() => a.mul(2)).gradFn !== null) throw new Error('noGrad recorded');
      const svg = await renderSvg(y);
      console.log(svg.includes('AddBackward0') ? 'ok' : 'bad svg');
    `,
    typescript: `
      import { tensor, type Tensor } from '@gd/autograd';
      const x: Tensor = tensor([1, 2], { requiresGrad: true });
      x.sum().backward();
      const g: Tensor | null = x.grad;
      export { g };
    `,
  },
  {
    dir: 'packages/nn',
    name: '@gd/nn',
    program: `
      import { manualSeed, randn, randint } from '@gd/autograd';
      import { CrossEntropyLoss, Sequential, Linear, ReLU } from '@gd/nn';
      import { saveSafetensors, loadSafetensors } from '@gd/nn/safetensors';
      manualSeed(0);
      const model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
      const loss = new CrossEntropyLoss().call(model.call(randn([5, 4])), randint(3, [5]));
      loss.backward();
      if (model.parameters().some((p) => p.grad === null)) throw new Error('missing grads');
      const back = loadSafetensors(saveSafetensors(model.stateDict())).tensors;
      if (Object.keys(back).sort().join() !== Object.keys(model.stateDict()).sort().join()) throw new Error('safetensors keys');
      console.log(model.numParameters() === 67 ? 'ok' : 'bad count');
    `,
    typescript: `
      import { Module, Linear } from '@gd/nn';
      import type { Tensor } from '@gd/autograd';
      class Net extends Module {
        fc = new Linear(2, 1);
        forward(x: Tensor): Tensor { return this.fc.call(x); }
      }
      export const n: number = new Net().numParameters();
      import { LSTM } from '@gd/nn/rnn';
      import { MultiheadAttention } from '@gd/nn/transformer';
      export const widths: number[] = [new LSTM(2, 3).hiddenSize, new MultiheadAttention(4, 2).embedDim];
    `,
  },
  {
    dir: 'packages/optim',
    name: '@gd/optim',
    program: `
      import { tensor } from '@gd/autograd';
      import { SGD } from '@gd/optim';
      import { StepLR } from '@gd/optim/lr-scheduler';
      const w = tensor([1.0], { requiresGrad: true });
      const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
      const sched = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
      for (let i = 0; i < 3; i++) { opt.zeroGrad(); w.pow(2).sum().backward(); opt.step(); sched.step(); }
      console.log(w.item() < 1 && sched.getLastLr()[0] === 0.0125 ? 'ok' : 'bad');
    `,
    typescript: `
      import { Adam } from '@gd/optim';
      import { ExponentialLR } from '@gd/optim/lr-scheduler';
      import { zeros } from '@gd/autograd';
      const opt = new Adam([zeros([2], { requiresGrad: true })], { lr: 1e-3 });
      export const groups: number = opt.paramGroups.length;
      export const rates: number[] = new ExponentialLR(opt, { gamma: 0.9 }).getLastLr();
    `,
  },
  {
    dir: 'packages/datasets',
    name: '@gd/datasets',
    program: `
      import { DataLoader, MNIST, Compose, ToTensor, Normalize, TensorDataset } from '@gd/datasets';
      import { randn } from '@gd/autograd';
      const test = new MNIST({ train: false, transform: new Compose([new ToTensor(), new Normalize([0.1307], [0.3081])]) });
      const [images, labels] = new DataLoader(test, { batchSize: 64 })[Symbol.iterator]().next().value;
      if (images.shape.join() !== '64,1,28,28' || labels.dtype !== 'int32') throw new Error('bad batch');
      const ds = new TensorDataset(randn([10, 3]), randn([10]));
      const { readFileSync } = await import('node:fs');
      const { readIdx, defaultMnistRoot } = await import('@gd/datasets/node');
      const idx = readIdx(defaultMnistRoot() + '/t10k-labels-idx1-ubyte', 2049);
      const fromBytes = new MNIST({ train: false, images: readFileSync(test.imagesFile), labels: readFileSync(test.labelsFile) });
      if (idx.dims[0] !== 10000 || fromBytes.length !== 10000) throw new Error('node entry or bytes');
      console.log(test.length === 10000 && new DataLoader(ds, { batchSize: 4 }).length === 3 ? 'ok' : 'bad');
    `,
    typescript: `
      import { MNIST, DataLoader } from '@gd/datasets';
      const loader = new DataLoader(new MNIST({ train: false }), { batchSize: 8 });
      export const batches: number = loader.length;
    `,
  },
  {
    dir: 'packages/onnx',
    name: '@gd/onnx',
    program: `
      import { manualSeed, randn } from '@gd/autograd';
      import { Sequential, Linear, ReLU } from '@gd/nn';
      import { exportOnnx, decodeOnnx } from '@gd/onnx';
      manualSeed(0);
      const model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
      const bytes = exportOnnx(model, randn([2, 4]));
      const ops = decodeOnnx(bytes).graph.node.map((n) => n.op_type).join();
      const { mkdtempSync, readFileSync } = await import('node:fs');
      const { saveOnnx } = await import('@gd/onnx/node');
      const dir = mkdtempSync((await import('node:os')).tmpdir() + '/onnx-');
      saveOnnx(bytes, dir + '/m.onnx');
      if (readFileSync(dir + '/m.onnx').length !== bytes.length) throw new Error('saveOnnx');
      console.log(ops === 'Gemm,Relu,Gemm' ? 'ok' : 'bad graph: ' + ops);
    `,
    typescript: `
      import { exportOnnx } from '@gd/onnx';
      import { Linear } from '@gd/nn';
      import { zeros } from '@gd/autograd';
      export const bytes: Uint8Array = exportOnnx(new Linear(2, 1), zeros([2, 2]));
    `,
  },
  {
    dir: 'packages/trainer',
    name: '@gd/trainer',
    program: `
      import { manualSeed, randn, randint } from '@gd/autograd';
      import { DataLoader, TensorDataset } from '@gd/datasets';
      import { Linear } from '@gd/nn';
      import { SGD } from '@gd/optim';
      import { Trainer, evaluate } from '@gd/trainer';
      manualSeed(0);
      const y = randint(2, [200]);
      const x = randn([200, 2]).add(y.unsqueeze(1).to('float32').mul(4));
      const data = new TensorDataset(x, y);
      const model = new Linear(2, 2);
      const trainer = new Trainer({ model, optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 3 });
      const { history } = await trainer.fit(new DataLoader(data, { batchSize: 20, shuffle: true }));
      console.log(history.length === 3 && evaluate(model, data).accuracy > 0.9 ? 'ok' : 'bad');
    `,
    typescript: `
      import { Trainer, type TrainerCallback, type EpochRecord } from '@gd/trainer';
      import { Linear } from '@gd/nn';
      import { SGD } from '@gd/optim';
      const model = new Linear(2, 2);
      const log: TrainerCallback = { onEpochEnd: (_t: Trainer, r: EpochRecord) => void r.trainLoss };
      export const trainer = new Trainer({ model, optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 1, callbacks: [log] });
    `,
  },
];
