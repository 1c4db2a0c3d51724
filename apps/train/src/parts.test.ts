/**
 * The pieces of gd-train in-process: flag parsing and config checks, metrics formats, checkpoint
 * state encoding and atomic writes, models, evaluation, progress lines.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor, manualSeed, randn, tensor } from '@gd/autograd';
import type { Linear } from '@gd/nn';
import { save } from '@gd/nn/safetensors';
import { Adam } from '@gd/optim';
import { afterAll, describe, expect, it } from 'vitest';
import type { EpochRecord } from './checkpoint.js';
import {
  decodeState,
  encodeState,
  loadTrainingState,
  loadWeights,
  saveCheckpoint,
  writeFileAtomic,
} from './checkpoint.js';
import {
  DEFAULTS,
  UsageError,
  parseFraction,
  parseModelList,
  parsePositiveInt,
  parsePositiveNumber,
  resolveConfig,
  validateConfig,
} from './config.js';
import { loadSplit, splitTrainVal } from './data.js';
import { evaluate } from '@gd/trainer';
import { formatConfusion, percent } from './evaluate.js';
import { formatCsv, formatJsonl } from './metrics.js';
import { createModel, firstLayerWeights } from './models.js';
import { createProgress, formatCount, formatDuration } from './progress.js';
import { createOptimizer, createScheduler } from './train.js';

const tmp = mkdtempSync(join(tmpdir(), 'gd-train-parts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const base = resolveConfig({ ...DEFAULTS });

describe('flags and config', () => {
  it('parses numbers and rejects the rest with the reason', () => {
    expect(parsePositiveInt('12')).toBe(12);
    for (const bad of ['0', '-1', '1.5', 'x', '', '1e3'])
      expect(() => parsePositiveInt(bad)).toThrow(/expected a positive integer/);
    expect(parsePositiveNumber('1e-3')).toBe(0.001);
    expect(() => parsePositiveNumber('0')).toThrow(/greater than 0/);
    expect(() => parsePositiveNumber('Infinity')).toThrow(/greater than 0/);
    expect(parseFraction('0')).toBe(0);
    expect(() => parseFraction('1')).toThrow(/< 1/);
    expect(parseModelList('logistic, cnn,logistic')).toEqual(['logistic', 'cnn']);
    expect(() => parseModelList('simple,gpt')).toThrow(/unknown model 'gpt'/);
  });

  it('fills in the optimizer-dependent defaults', () => {
    expect(base).toMatchObject({
      model: 'simple',
      epochs: 5,
      lr: 0.1,
      momentum: 0,
      weightDecay: 0,
    });
    expect(resolveConfig({ ...DEFAULTS, optimizer: 'adam' }).lr).toBe(0.001);
    expect(resolveConfig({ ...DEFAULTS, optimizer: 'adamw' })).toMatchObject({
      lr: 0.001,
      weightDecay: 0.01,
    });
    expect(resolveConfig({ ...DEFAULTS, optimizer: 'momentum', lr: 0.05 })).toMatchObject({
      lr: 0.05,
      momentum: 0.9,
    });
  });

  it('checks configs read from files, naming the file', () => {
    expect(validateConfig(JSON.parse(JSON.stringify(base)), 'c.json')).toEqual(base);
    expect(() => validateConfig({ ...base, model: 'gpt' }, 'c.json')).toThrow(
      /c\.json: invalid training config \(unknown model gpt\)/,
    );
    expect(() => validateConfig({ ...base, lr: 0 }, 'c.json')).toThrow(UsageError);
    const { seed: _seed, ...noSeed } = base;
    expect(() => validateConfig(noSeed, 'c.json')).toThrow(/missing "seed"/);
  });
});

describe('models', () => {
  it('builds each model with the expected number of parameters', () => {
    const counts = {
      logistic: 7850,
      simple: 101770,
      deep: 535818,
      resnet: 167818,
      cnn: 421642,
      lstm: 82186,
      vit: 138890,
    };
    for (const [name, n] of Object.entries(counts)) {
      const model = createModel(name as keyof typeof counts);
      expect(model.numParameters(), name).toBe(n);
      expect(model.call(randn([2, 1, 28, 28])).shape, name).toEqual([2, 10]);
    }
    expect(createModel('simple', 32).numParameters()).toBe(784 * 32 + 32 + 32 * 10 + 10);
  });

  it('gives the first layer as tiles: class templates, hidden units, conv kernels', () => {
    const logistic = firstLayerWeights(createModel('logistic'));
    expect([logistic.tiles.length, logistic.height, logistic.width]).toEqual([10, 28, 28]);
    expect(logistic.captions[3]).toBe('class 3');
    const model = createModel('simple');
    const simple = firstLayerWeights(model, 16);
    expect(simple.tiles).toHaveLength(16);
    const w = (model as unknown as { fc1: Linear }).fc1.weight.value.data;
    expect([...simple.tiles[1]!]).toEqual([...w.slice(784, 2 * 784)]);
    const cnn = firstLayerWeights(createModel('cnn'));
    expect([cnn.tiles.length, cnn.height, cnn.width]).toEqual([32, 3, 3]);
    const lstm = firstLayerWeights(createModel('lstm'));
    expect([lstm.tiles.length, lstm.height, lstm.width]).toEqual([16, 1, 28]);
    const vit = firstLayerWeights(createModel('vit'));
    expect([vit.tiles.length, vit.height, vit.width]).toEqual([32, 7, 7]);
  });

  it('builds every optimizer and schedule (onecycle without momentum for plain sgd)', () => {
    for (const optimizer of ['sgd', 'momentum', 'adam', 'adamw'] as const) {
      for (const schedule of ['none', 'cosine', 'onecycle'] as const) {
        const config = resolveConfig({ ...DEFAULTS, optimizer, schedule });
        const opt = createOptimizer(config, [tensor([1, 2], { requiresGrad: true })]);
        const sched = createScheduler(config, opt, 10);
        expect(sched === null, `${optimizer}/${schedule}`).toBe(schedule === 'none');
        if (schedule === 'onecycle') expect(opt.paramGroups[0]!.lr).toBeCloseTo(config.lr / 25, 12);
      }
    }
  });
});

describe('metrics files', () => {
  const rec: EpochRecord = {
    epoch: 1,
    step: 422,
    trainLoss: 0.34461234567,
    trainAccuracy: 0.9009,
    valLoss: null,
    valAccuracy: null,
    lr: 0.1,
    seconds: 2.5,
    imagesPerSecond: 21600,
  };

  it('writes one JSON object per line with snake_case keys', () => {
    const text = formatJsonl([rec, { ...rec, epoch: 2 }]);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1]!)).toMatchObject({
      epoch: 2,
      train_loss: 0.34461234567,
      val_loss: null,
    });
  });

  it('writes CSV with a header and empty cells for missing validation', () => {
    expect(formatCsv([rec])).toBe(
      'epoch,step,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds,images_per_second\n' +
        '1,422,0.34461235,0.9009,,,0.1,2.5,21600\n',
    );
  });
});

describe('checkpoint state', () => {
  it('round-trips optimizer state dicts bit for bit, with non-finite numbers and bytes', () => {
    manualSeed(1);
    const w = randn([3, 2], { requiresGrad: true });
    const opt = new Adam([w], { lr: 0.01 });
    w.sum().mul(3).backward();
    opt.step();
    const sd = opt.stateDict();
    const text = JSON.stringify(
      encodeState({ sd, inf: -Infinity, nan: NaN, bytes: new Uint8Array([0, 255, 7]) }),
    );
    const back = decodeState(JSON.parse(text)) as {
      sd: typeof sd;
      inf: number;
      nan: number;
      bytes: Uint8Array;
    };
    expect(back.inf).toBe(-Infinity);
    expect(back.nan).toBeNaN();
    expect([...back.bytes]).toEqual([0, 255, 7]);
    const s0 = sd.state[0]!;
    const b0 = back.sd.state[0]!;
    for (const k of Object.keys(s0)) {
      const a = s0[k];
      const b = b0[k];
      if (a instanceof Tensor) {
        expect(b).toBeInstanceOf(Tensor);
        expect((b as Tensor).dtype).toBe(a.dtype);
        expect((b as Tensor).shape).toEqual(a.shape);
        expect([...(b as Tensor).value.data]).toEqual([...a.value.data]);
      } else expect(b).toEqual(a);
    }
    const opt2 = new Adam([randn([3, 2], { requiresGrad: true })], { lr: 0.5 });
    opt2.loadStateDict(back.sd);
    expect(opt2.paramGroups[0]!.lr).toBe(0.01);
  });

  it('writes files atomically, leaving no temporary files', () => {
    const p = join(tmp, 'a.json');
    writeFileAtomic(p, 'one');
    writeFileAtomic(p, new Uint8Array([116, 119, 111]));
    expect(readFileSync(p, 'utf8')).toBe('two');
    expect(readdirSync(tmp).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('refuses weights and state from different epochs, and files that are not checkpoints', () => {
    const dir = join(tmp, 'run');
    manualSeed(0);
    const model = createModel('logistic');
    const state = {
      format: 'gd-train-checkpoint' as const,
      version: 1 as const,
      config: { ...base, model: 'logistic' as const },
      epoch: 2,
      step: 10,
      batchesPerEpoch: 5,
      trainImages: 600,
      optimizer: { state: {}, paramGroups: [] },
      scheduler: null,
      rng: new Uint8Array([1, 2, 3]),
      history: [],
      lossTrace: [],
      seconds: 1,
    };
    saveCheckpoint(dir, model, state);
    const loaded = loadWeights(join(dir, 'checkpoint.safetensors'));
    expect(loaded.modelName).toBe('logistic');
    expect(loaded.epoch).toBe(2);
    expect(loadTrainingState(dir, 2).step).toBe(10);
    expect(() => loadTrainingState(dir, 1)).toThrow(
      /is from epoch 2 but .*checkpoint\.safetensors from epoch 1/,
    );
    writeFileSync(join(dir, 'checkpoint.json'), '{"format":"other"}');
    expect(() => loadTrainingState(dir, 2)).toThrow(/is not a gd-train checkpoint state/);
    // weights without gd-train metadata: the model must be named, and must fit
    const plain = join(dir, 'plain.safetensors');
    save(model.stateDict(), plain);
    expect(() => loadWeights(plain)).toThrow(
      /has no gd-train metadata naming its model; pass --model/,
    );
    expect(loadWeights(plain, 'logistic').modelName).toBe('logistic');
    expect(() => loadWeights(plain, 'simple')).toThrow(
      /does not hold the weights of model 'simple'/,
    );
  });
});

describe('evaluation', () => {
  it('counts a confusion matrix that matches accuracy, and restores the training mode', () => {
    manualSeed(0);
    const model = createModel('deep');
    const test = loadSplit({ train: false, limit: 300 });
    const r = evaluate(model, test.dataset, { batchSize: 128 });
    expect(r.total).toBe(300);
    expect(r.confusion.flat().reduce((a, b) => a + b, 0)).toBe(300);
    expect(r.confusion.reduce((a, row, i) => a + row[i]!, 0)).toBe(r.correct);
    expect(r.accuracy).toBe(r.correct / 300);
    expect(r.loss).toBeGreaterThan(1.5); // untrained: about ln 10
    expect(r.loss).toBeLessThan(3.5);
    expect(model.training).toBe(true);
    // eval mode: the same numbers twice (no dropout)
    expect(evaluate(model, test.dataset, { batchSize: 100 }).loss).toBeCloseTo(r.loss, 5);
    expect([...r.labels.slice(0, 5)]).toEqual([7, 2, 1, 0, 4]);
  });

  it('formats the confusion matrix and percentages', () => {
    const m = Array.from({ length: 10 }, (_, i) =>
      Array.from({ length: 10 }, (_, j) => (i === j ? 1000 : j)),
    );
    const lines = formatConfusion(m).split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toMatch(/^true\\pred +0 +1 .* 9$/);
    expect(lines[1]).toBe('0          1000    1    2    3    4    5    6    7    8    9');
    expect(percent(0.97512)).toBe('97.51%');
  });

  it('splits training and validation images with its own seeded generator', () => {
    const train = loadSplit({ train: true, limit: 1000 });
    const a = splitTrainVal(train.dataset, 0.1, 3);
    const b = splitTrainVal(train.dataset, 0.1, 3);
    expect([a.train.length, a.val!.length]).toEqual([900, 100]);
    const ya = a.val!.getBatch([0, 1, 2, 3])[1].value.data;
    const yb = b.val!.getBatch([0, 1, 2, 3])[1].value.data;
    expect([...ya]).toEqual([...yb]);
    expect(splitTrainVal(train.dataset, 0, 3).val).toBeNull();
    expect(() => loadSplit({ train: false, limit: 20000 })).toThrow(
      /--limit-test: 20000 is more than the 10000 images/,
    );
  });
});

describe('progress', () => {
  it('formats durations and counts', () => {
    expect(formatDuration(4.4)).toBe('4s');
    expect(formatDuration(65)).toBe('1m05s');
    expect(formatDuration(3725)).toBe('1h02m');
    expect(formatDuration(NaN)).toBe('?');
    expect(formatCount(35119.4)).toBe('35,119');
  });

  it('prints plain lines at each quarter of the epoch when not on a terminal', () => {
    let text = '';
    const stream = {
      isTTY: false,
      write: (s: string) => ((text += s), true),
    } as unknown as NodeJS.WriteStream;
    const p = createProgress('auto', stream).startEpoch(2, 3, 8);
    for (let b = 1; b <= 8; b++) p.update(b, 0.5, 1000);
    p.stop();
    const lines = text.trimEnd().split('\n');
    expect(lines.map((l) => /batch (\d+)\/8/.exec(l)?.[1])).toEqual(['2', '4', '6']);
    expect(lines[0]).toMatch(
      /^ {2}epoch 2\/3 {2}batch 2\/8 {2}loss 0\.5000 {2}1,000 img\/s {2}ETA \d+s$/,
    );
    text = '';
    const quiet = createProgress('none', stream).startEpoch(1, 1, 8);
    quiet.update(2, 1, 1);
    expect(text).toBe('');
  });
});
