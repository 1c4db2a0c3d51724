import type { Tensor } from '@gd/autograd';
import { manualSeed, randint, randn, tensor } from '@gd/autograd';
import { DataLoader, TensorDataset } from '@gd/datasets';
import { Linear, MSELoss, Sequential, ReLU, Dropout } from '@gd/nn';
import { SGD } from '@gd/optim';
import { CosineAnnealingLR } from '@gd/optim/lr-scheduler';
import { describe, expect, it } from 'vitest';
import type { BatchInfo, EpochRecord, TrainerCallback } from './index.js';
import { NonFiniteLossError, Trainer, evaluate } from './index.js';

// Three Gaussian blobs in 4-D: a linear classifier separates them almost perfectly.
function blobs(n: number, seed: number): TensorDataset {
  manualSeed(seed);
  const y = randint(3, [n]);
  const centres = tensor([
    [3, 0, 0, 0],
    [0, 3, 0, 0],
    [0, 0, 3, 0],
  ]);
  const x = randn([n, 4]).add(centres.indexSelect(0, y));
  return new TensorDataset(x, y);
}

function loaderOf(ds: TensorDataset, batchSize = 32) {
  return new DataLoader(ds, { batchSize, shuffle: true }) as unknown as Iterable<
    [Tensor, Tensor]
  > & { length: number };
}

function setup(options: { epochs?: number; lr?: number; callbacks?: TrainerCallback[] } = {}) {
  manualSeed(0);
  const model = new Sequential(new Linear(4, 16), new ReLU(), new Dropout(0.1), new Linear(16, 3));
  const optimizer = new SGD(model.parameters(), { lr: options.lr ?? 0.1, momentum: 0.9 });
  const scheduler = new CosineAnnealingLR(optimizer, { tMax: 100 });
  const trainer = new Trainer({
    model,
    optimizer,
    scheduler,
    epochs: options.epochs ?? 3,
    callbacks: options.callbacks ?? [],
  });
  return { model, optimizer, trainer };
}

function weightsOf(model: { stateDict(): Record<string, Tensor> }): number[] {
  return Object.values(model.stateDict()).flatMap((t) => Array.from(t.value.data as Float32Array));
}

describe('Trainer', () => {
  it('trains a classifier, records each epoch and validates', async () => {
    const train = blobs(600, 1);
    const val = blobs(300, 2);
    const { trainer, model } = setup();
    const result = await trainer.fit(loaderOf(train), { val });
    expect(result.stopped).toBe(false);
    expect(result.history.map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(result.step).toBe(3 * Math.ceil(600 / 32));
    expect(result.history[2]!.valAccuracy).toBeGreaterThan(0.9);
    expect(result.history[2]!.trainLoss).toBeLessThan(result.history[0]!.trainLoss);
    expect(result.lossTrace.length).toBeGreaterThanOrEqual(30);
    expect(evaluate(model, val).accuracy).toBeCloseTo(result.history[2]!.valAccuracy!, 10);
    expect(model.training).toBe(true);
  });

  it('calls the callbacks in order with the batch, trace and epoch data', async () => {
    const events: string[] = [];
    const batches: BatchInfo[] = [];
    const records: EpochRecord[] = [];
    const { trainer } = setup({
      epochs: 2,
      callbacks: [
        {
          onFitStart: () => void events.push('fit'),
          onEpochStart: (_, e) => void events.push(`epoch ${e}`),
          onBatchEnd: (_, b) => void batches.push(b),
          onTrace: (_, p) => void events.push(`trace ${p.x.toFixed(2)}`),
          onEpochEnd: async (t, r) => {
            await Promise.resolve();
            records.push(r);
            events.push(`end ${r.epoch} (${t.epoch})`);
          },
          onFitEnd: (_, r) => void events.push(`done ${r.history.length}`),
        },
      ],
    });
    await trainer.fit(loaderOf(blobs(128, 3)), {});
    // 4 batches an epoch: a trace point after every batch.
    expect(events).toEqual([
      'fit',
      'epoch 1',
      'trace 0.25',
      'trace 0.50',
      'trace 0.75',
      'trace 1.00',
      'end 1 (1)',
      'epoch 2',
      'trace 1.25',
      'trace 1.50',
      'trace 1.75',
      'trace 2.00',
      'end 2 (2)',
      'done 2',
    ]);
    expect(batches.map((b) => `${b.epoch}.${b.batch}/${b.batches}@${b.step}`)).toEqual([
      '1.1/4@1',
      '1.2/4@2',
      '1.3/4@3',
      '1.4/4@4',
      '2.1/4@5',
      '2.2/4@6',
      '2.3/4@7',
      '2.4/4@8',
    ]);
    expect(batches[3]!.seen).toBe(128);
    expect(batches[3]!.loss).toBeCloseTo(records[0]!.trainLoss, 6);
    expect(batches[3]!.accuracy).toBe(records[0]!.trainAccuracy);
    expect(records[0]!.valAccuracy).toBeNull();
  });

  it('resumes from a state dict to the same weights as an uninterrupted run', async () => {
    const data = blobs(200, 4);
    const whole = setup({ epochs: 3 });
    await whole.trainer.fit(loaderOf(data));

    const first = setup({ epochs: 3, callbacks: [{ onEpochEnd: (t) => t.stop() }] });
    const partial = await first.trainer.fit(loaderOf(data));
    expect(partial.stopped).toBe(true);
    expect(partial.epoch).toBe(1);
    const saved = { weights: first.model.stateDict(), state: first.trainer.stateDict() };
    manualSeed(123); // disturb the global generator: the state must restore it

    const second = setup({ epochs: 3 });
    second.model.loadStateDict(saved.weights);
    second.trainer.loadStateDict(saved.state);
    const rest = await second.trainer.fit(loaderOf(data));
    expect(rest.history.map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(weightsOf(second.model)).toEqual(weightsOf(whole.model));
  });

  it('stops after the current batch when the signal aborts', async () => {
    const controller = new AbortController();
    const { trainer } = setup({
      epochs: 5,
      callbacks: [{ onBatchEnd: (_, b) => void (b.batch === 2 && controller.abort()) }],
    });
    const result = await trainer.fit(loaderOf(blobs(256, 5)), { signal: controller.signal });
    expect(result).toMatchObject({ stopped: true, epoch: 0, step: 2, history: [] });
  });

  it('lets the event loop run during a fit (a stop message arrives mid-epoch)', async () => {
    const { trainer } = setup({ epochs: 1000 });
    setTimeout(() => trainer.stop(), 20);
    const result = await trainer.fit(loaderOf(blobs(512, 6), 8));
    expect(result.stopped).toBe(true);
    expect(result.epoch).toBeLessThan(1000);
  });

  it('throws NonFiniteLossError at the step the loss stops being finite', async () => {
    manualSeed(0);
    const model = new Linear(4, 1);
    const trainer = new Trainer({
      model,
      optimizer: new SGD(model.parameters(), { lr: 10 }),
      lossFn: (out, y) => new MSELoss().call(out.squeeze(1), y.to('float32').mul(1e10)),
      accuracy: false,
      epochs: 3,
    });
    const error = await trainer.fit(loaderOf(blobs(256, 7))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as NonFiniteLossError).message).toMatch(
      /^the loss is (NaN|Infinity) at step \d+ \(epoch 1, batch \d+\/8\); stopping\.$/,
    );
  });

  it('clips the gradient norm when asked', async () => {
    manualSeed(0);
    const model = new Linear(4, 3);
    const norms: number[] = [];
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const step = optimizer.step.bind(optimizer);
    optimizer.step = () => {
      const sq = model.parameters().reduce((s, p) => s + p.grad!.pow(2).sum().item(), 0);
      norms.push(Math.sqrt(sq));
      return step();
    };
    const trainer = new Trainer({ model, optimizer, epochs: 1, clipGradNorm: 0.01 });
    await trainer.fit(loaderOf(blobs(64, 8)));
    expect(norms.length).toBe(2);
    for (const n of norms) expect(n).toBeLessThanOrEqual(0.01 * (1 + 1e-5));
  });

  it('rejects bad options with errors that name them', async () => {
    const { model, optimizer } = setup();
    expect(() => new Trainer({ model, optimizer, epochs: 0 })).toThrow(
      'Trainer: options.epochs must be a positive integer, got 0',
    );
    expect(() => new Trainer({ model, optimizer, epochs: 1, clipGradNorm: -1 })).toThrow(
      'options.clipGradNorm must be a finite number >= 0, got -1',
    );
    expect(() => new Trainer({ model: {} as never, optimizer, epochs: 1 })).toThrow(
      'options.model must be a Module',
    );
    const trainer = new Trainer({ model, optimizer, epochs: 1 });
    await expect(trainer.fit([] as never)).rejects.toThrow(
      'expected a loader of [input, target] batches with length >= 1',
    );
  });
});

describe('evaluate', () => {
  it('counts correct predictions and the confusion matrix, data set or loader alike', () => {
    manualSeed(0);
    const model = new Linear(4, 3);
    const data = blobs(100, 9);
    const a = evaluate(model, data, { batchSize: 7 });
    const b = evaluate(model, new DataLoader(data, { batchSize: 50 }) as never);
    expect(a.total).toBe(100);
    expect(a.correct).toBe(b.correct);
    expect(a.loss).toBeCloseTo(b.loss, 5);
    expect(a.confusion.flat().reduce((s, v) => s + v, 0)).toBe(100);
    expect(a.confusion.map((row, i) => row[i]!).reduce((s, v) => s + v, 0)).toBe(a.correct);
    expect(Array.from(a.predictions)).toEqual(Array.from(b.predictions));
    expect(a.accuracy).toBe(a.correct / 100);
  });
});
