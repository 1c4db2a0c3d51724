/**
 * `gd-train` run as a real process (`node dist/cli.js ...`) on small MNIST subsets: exit codes,
 * printed lines, every output file, resume equivalence, the NaN stop, evaluate, export (ONNX
 * verified in onnxruntime against the trained model, and the Triton layout), help texts and bad
 * input. The processes start when the file loads, two at a time, and each test awaits its own.
 */
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defaultMnistRoot } from '@gd/datasets';
import { SimpleNN } from '@gd/nn/models';
import { load } from '@gd/nn/safetensors';
import { readOnnxMetadata, verifyOnnx } from '@gd/onnx';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWeights } from './checkpoint.js';
import { loadSplit } from './data.js';
import { METRIC_COLUMNS } from './metrics.js';

const here = dirname(fileURLToPath(import.meta.url));
const cli = resolve(here, '../dist/cli.js');
const root = mkdtempSync(join(tmpdir(), 'gd-train-test-'));
const TIMEOUT = 150_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// ---- a pool of two processes at a time -------------------------------------------------------
let active = 0;
const queue: (() => void)[] = [];
async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (active >= 2) await new Promise<void>((r) => queue.push(r));
  active++;
  try {
    return await fn();
  } finally {
    active--;
    queue.shift()?.();
  }
}

function exec(args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 24 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** Runs the CLI when a slot is free. */
const gd = (args: string[]): Promise<Run> => slot(() => exec(args));

/** Runs commands one after the other, all in one slot. */
const chain = (...argsList: string[][]): Promise<Run[]> =>
  slot(async () => {
    const out: Run[] = [];
    for (const args of argsList) out.push(await exec(args));
    return out;
  });

const dir = (name: string) => join(root, name);
const SMALL = ['--limit-train', '2000', '--limit-test', '500'];
const TINY = ['--limit-train', '600', '--limit-test', '200', '--no-figures', '--no-onnx'];

// A data directory with gzipped copies of the test split (exercises --data-dir and .gz).
const gzDir = dir('mnist-gz');
mkdirSync(gzDir);
for (const f of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
  writeFileSync(join(gzDir, `${f}.gz`), gzipSync(readFileSync(join(defaultMnistRoot(), f))));
}
// A data directory whose label file is truncated.
const badDir = dir('mnist-bad');
mkdirSync(badDir);
for (const f of ['train-images-idx3-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'])
  copyFileSync(join(defaultMnistRoot(), f), join(badDir, f));
writeFileSync(
  join(badDir, 'train-labels-idx1-ubyte'),
  readFileSync(join(defaultMnistRoot(), 'train-labels-idx1-ubyte')).subarray(0, 1000),
);

// ---- the runs ---------------------------------------------------------------------------------
const main = chain(['mnist', ...SMALL, '--epochs', '1', '--out', dir('main')]).then(async ([r]) => {
  // evaluate and export need main's files
  const [evaluate, evaluateGz, onnx, triton] = await Promise.all([
    exec([
      'evaluate',
      '--checkpoint',
      join(dir('main'), 'model.safetensors'),
      '--limit-test',
      '500',
      '--out',
      dir('eval'),
    ]),
    exec([
      'evaluate',
      '--checkpoint',
      join(dir('main'), 'checkpoint.safetensors'),
      '--data-dir',
      gzDir,
    ]),
    exec([
      'export',
      '--checkpoint',
      join(dir('main'), 'checkpoint.safetensors'),
      '--out',
      join(dir('export'), 'm.onnx'),
    ]),
    exec([
      'export',
      '--checkpoint',
      join(dir('main'), 'model.safetensors'),
      '--format',
      'triton',
      '--out',
      dir('triton'),
      '--name',
      'digits',
      '--max-batch',
      '32',
    ]),
  ]);
  return { run: r!, evaluate, evaluateGz, onnx, triton };
});

// Resume: 2 epochs in one run vs 1 epoch, then --resume to 2 (dropout and Adam state involved).
const RESUME = [
  ...TINY,
  '--model',
  'deep',
  '--optimizer',
  'adam',
  '--seed',
  '7',
  '--progress',
  'none',
];
const resumeFull = gd(['mnist', ...RESUME, '--epochs', '2', '--out', dir('full')]);
const resumeSplit = chain(
  ['mnist', ...RESUME, '--epochs', '1', '--out', dir('split')],
  ['mnist', ...RESUME, '--epochs', '2', '--out', dir('split'), '--resume'],
);
// Resume inside a schedule: interrupted after epoch 1 of 2 (onecycle with momentum, clipping).
const SCHED = [
  ...TINY,
  '--optimizer',
  'momentum',
  '--schedule',
  'onecycle',
  '--clip-grad',
  '1',
  '--epochs',
  '2',
  '--progress',
  'none',
];
const schedFull = gd(['mnist', ...SCHED, '--out', dir('sched-full')]);
const schedSplit = chain(
  ['mnist', ...SCHED, '--out', dir('sched-split'), '--stop-after', '1'],
  ['mnist', ...SCHED, '--out', dir('sched-split'), '--resume'],
);

// The sequence and attention models, end to end on a few images (ONNX export included).
const seqModels = Promise.all(
  ['lstm', 'vit'].map((m) =>
    gd([
      'mnist',
      '--model',
      m,
      '--optimizer',
      'adam',
      '--limit-train',
      '300',
      '--limit-test',
      '100',
      '--epochs',
      '1',
      '--batch-size',
      '64',
      '--progress',
      'none',
      '--out',
      dir(m),
    ]),
  ),
);

const nan = gd(['mnist', ...TINY, '--lr', '1e30', '--epochs', '2', '--out', dir('nan')]);
const compare = gd([
  'compare',
  '--models',
  'logistic,simple,lstm,vit',
  '--epochs',
  '1',
  '--limit-train',
  '1000',
  '--limit-test',
  '200',
  '--no-onnx',
  '--out',
  dir('compare'),
]);

afterAll(() => rmSync(root, { recursive: true, force: true }));

function ok(r: Run): string {
  if (r.code !== 0)
    throw new Error(`exit code ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r.stdout;
}

function expectPng(path: string): void {
  const png = readFileSync(path);
  expect([...png.subarray(0, 8)], path).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  expect(png.readUInt32BE(16), `${path} width`).toBeGreaterThan(200);
  expect(png.readUInt32BE(20), `${path} height`).toBeGreaterThan(150);
}

describe('gd-train mnist', () => {
  it(
    'trains on a subset, prints progress, epoch and test lines, and where the outputs are',
    async () => {
      const out = ok((await main).run);
      expect(out).toMatch(
        /^training simple \(101,770 parameters\) on 1,800 MNIST images, validating on 200, testing on 500$/m,
      );
      expect(out).toContain('sgd lr 0.1, batch 128, 1 epochs (15 batches each), seed 0');
      // stdout is a pipe: plain progress lines instead of a bar
      expect(out).toMatch(
        /^ {2}epoch 1\/1 {2}batch \d+\/15 {2}loss \d\.\d{4} {2}[\d,]+ img\/s {2}ETA \d+s$/m,
      );
      const epoch =
        /^epoch 1\/1 {2}train loss (\d\.\d{4}) acc ([\d.]+)% {2}val loss (\d\.\d{4}) acc ([\d.]+)% {2}lr 0\.1 /m.exec(
          out,
        );
      expect(epoch, out).not.toBeNull();
      const test = /^test accuracy ([\d.]+)% \((\d+)\/500\), loss (\d\.\d{4})/m.exec(out);
      expect(test, out).not.toBeNull();
      expect(Number(test![1])).toBeGreaterThan(30); // 15 SGD steps: far above chance, loose
      expect(out).toMatch(/^outputs in .*main\/:$/m);
      expect(out).toContain('model.onnx');
    },
    TIMEOUT,
  );

  it(
    'writes every output file in the run directory',
    async () => {
      ok((await main).run);
      const files = readdirSync(dir('main')).sort();
      expect(files).toEqual(
        [
          'accuracy.png',
          'checkpoint.json',
          'checkpoint.safetensors',
          'config.json',
          'confusion-matrix.png',
          'loss.png',
          'metrics.csv',
          'metrics.jsonl',
          'misclassified.png',
          'model.onnx',
          'model.safetensors',
          'summary.json',
          'weights.png',
        ].sort(),
      );
      for (const f of files.filter((f) => f.endsWith('.png'))) expectPng(join(dir('main'), f));
    },
    TIMEOUT,
  );

  it(
    'writes metrics.jsonl, metrics.csv, config.json and summary.json that agree',
    async () => {
      const out = ok((await main).run);
      const lines = readFileSync(join(dir('main'), 'metrics.jsonl'), 'utf8')
        .trimEnd()
        .split('\n');
      expect(lines).toHaveLength(1);
      const rec = JSON.parse(lines[0]!) as Record<string, number>;
      expect(Object.keys(rec)).toEqual([...METRIC_COLUMNS]);
      expect(rec.epoch).toBe(1);
      expect(rec.step).toBe(15);
      expect(rec.lr).toBe(0.1);
      expect(rec.train_loss).toBeGreaterThan(0);
      expect(rec.train_loss).toBeLessThan(2.3);
      expect(rec.val_accuracy).toBeGreaterThan(0.3);
      expect(out).toContain(`train loss ${rec.train_loss!.toFixed(4)}`);
      const csv = readFileSync(join(dir('main'), 'metrics.csv'), 'utf8')
        .trimEnd()
        .split('\n');
      expect(csv[0]).toBe(METRIC_COLUMNS.join(','));
      const cells = csv[1]!.split(',').map(Number);
      expect(cells[0]).toBe(1);
      expect(cells[2]).toBeCloseTo(rec.train_loss!, 6);
      expect(cells[5]).toBeCloseTo(rec.val_accuracy!, 6);
      const config = JSON.parse(readFileSync(join(dir('main'), 'config.json'), 'utf8'));
      expect(config).toMatchObject({
        model: 'simple',
        epochs: 1,
        batchSize: 128,
        lr: 0.1,
        optimizer: 'sgd',
        schedule: 'none',
        seed: 0,
        valSplit: 0.1,
        limitTrain: 2000,
        limitTest: 500,
        trainImages: 1800,
        valImages: 200,
        testImages: 500,
        parameters: 101770,
      });
      const summary = JSON.parse(readFileSync(join(dir('main'), 'summary.json'), 'utf8'));
      expect(summary.testImages).toBe(500);
      expect(out).toContain(`test accuracy ${(summary.testAccuracy * 100).toFixed(2)}%`);
      const cm = summary.confusion as number[][];
      expect(cm).toHaveLength(10);
      expect(cm.flat().reduce((a, b) => a + b, 0)).toBe(500);
      expect(cm.reduce((a, row, i) => a + row[i]!, 0)).toBe(Math.round(summary.testAccuracy * 500));
    },
    TIMEOUT,
  );

  it(
    'saves weights that load into the model and reproduce the test accuracy',
    async () => {
      ok((await main).run);
      const model = new SimpleNN(128);
      model.loadStateDict(load(join(dir('main'), 'model.safetensors')));
      const {
        model: restored,
        modelName,
        epoch,
      } = loadWeights(join(dir('main'), 'checkpoint.safetensors'));
      expect(modelName).toBe('simple');
      expect(epoch).toBe(1);
      const a = model.stateDict();
      const b = restored.stateDict();
      for (const k of Object.keys(a)) expect(b[k]!.value.data).toEqual(a[k]!.value.data);
      const state = JSON.parse(readFileSync(join(dir('main'), 'checkpoint.json'), 'utf8'));
      expect(state).toMatchObject({
        format: 'gd-train-checkpoint',
        version: 1,
        epoch: 1,
        step: 15,
      });
    },
    TIMEOUT,
  );

  it(
    'exports model.onnx with metadata, matching the trained model in onnxruntime',
    async () => {
      ok((await main).run);
      const bytes = readFileSync(join(dir('main'), 'model.onnx'));
      const meta = readOnnxMetadata(bytes);
      expect(JSON.parse(meta['normalize.mean']!)).toEqual([0.1307]);
      expect(JSON.parse(meta['normalize.std']!)).toEqual([0.3081]);
      expect(JSON.parse(meta.labels!)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
      const training = JSON.parse(meta.training!);
      expect(training).toMatchObject({
        model: 'simple',
        epochs: 1,
        trainImages: 1800,
        testImages: 500,
      });
      const { model } = loadWeights(join(dir('main'), 'model.safetensors'));
      const test = loadSplit({ train: false, limit: 64 });
      const [x] = test.dataset.getBatch(Array.from({ length: 64 }, (_, i) => i));
      const one = test.dataset.getBatch([0])[0];
      for (const input of [x, one]) {
        const { maxAbsDiff } = await verifyOnnx(model, bytes, [input]);
        expect(maxAbsDiff).toBeLessThan(1e-4);
      }
    },
    TIMEOUT,
  );
});

describe('--resume', () => {
  it(
    '1 epoch + --resume to 2 ends with the same model.safetensors bytes as 2 epochs at once',
    async () => {
      const full = await resumeFull;
      const [first, second] = await resumeSplit;
      ok(full);
      ok(first!);
      const out = ok(second!);
      expect(out).toMatch(/^resuming deep /m);
      expect(out).toMatch(/from .*checkpoint\.safetensors \(epoch 1, step 5\)/);
      expect(out).not.toMatch(/^epoch 1\/2/m);
      expect(out).toMatch(/^epoch 2\/2 /m);
      const a = readFileSync(join(dir('full'), 'model.safetensors'));
      const b = readFileSync(join(dir('split'), 'model.safetensors'));
      expect(b.equals(a)).toBe(true);
      const strip = (p: string) =>
        readFileSync(p, 'utf8')
          .trimEnd()
          .split('\n')
          .map((l) => l.split(',').slice(0, 7).join(','));
      expect(strip(join(dir('split'), 'metrics.csv'))).toEqual(
        strip(join(dir('full'), 'metrics.csv')),
      );
    },
    TIMEOUT,
  );

  it(
    'continues a run interrupted inside a onecycle schedule to the same weights',
    async () => {
      const full = await schedFull;
      const [stopped, resumed] = await schedSplit;
      ok(full);
      expect(ok(stopped!)).toMatch(
        /stopped after epoch 1 as asked; continue with: gd-train mnist --out .*sched-split --resume/,
      );
      ok(resumed!);
      const a = readFileSync(join(dir('sched-full'), 'model.safetensors'));
      const b = readFileSync(join(dir('sched-split'), 'model.safetensors'));
      expect(b.equals(a)).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'refuses flags that differ from the checkpoint, a missing checkpoint and a corrupt one',
    async () => {
      await schedSplit;
      const differ = await gd([
        'mnist',
        ...SCHED,
        '--out',
        dir('sched-split'),
        '--resume',
        '--lr',
        '0.5',
      ]);
      expect(differ.code).toBe(1);
      expect(differ.stderr).toMatch(/--lr 0\.5 \(the run used 0\.1\)/);
      const stretch = await gd([
        'mnist',
        ...SCHED,
        '--out',
        dir('sched-split'),
        '--resume',
        '--epochs',
        '4',
      ]);
      expect(stretch.code).toBe(1);
      expect(stretch.stderr).toMatch(/--schedule onecycle spans its 2 epochs/);
      const none = await gd(['mnist', ...TINY, '--out', dir('nothing-here'), '--resume']);
      expect(none.code).toBe(1);
      expect(none.stderr).toMatch(/--resume: no checkpoint in .*nothing-here/);
      const corrupt = dir('corrupt');
      mkdirSync(corrupt, { recursive: true });
      for (const f of ['checkpoint.safetensors', 'checkpoint.json'])
        copyFileSync(join(dir('sched-split'), f), join(corrupt, f));
      writeFileSync(join(corrupt, 'checkpoint.json'), '{"format": "gd-train-checkpoint", "vers');
      const bad = await gd(['mnist', ...TINY, '--out', corrupt, '--resume']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/cannot read checkpoint state .*corrupt\/checkpoint\.json/);
    },
    TIMEOUT,
  );
});

describe('failures', () => {
  it(
    'stops on a NaN/Inf loss naming the step and the checkpoint, with exit code 3',
    async () => {
      const r = await nan;
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(
        /the loss is (NaN|-?Infinity) at step \d+ \(epoch 1, batch \d+\/5\); stopping\./,
      );
      expect(r.stderr).toMatch(/checkpoint\.safetensors \(the initial weights, before epoch 1\)/);
      expect(r.stderr).toMatch(/gd-train mnist --out .*nan --resume/);
      expect(existsSync(join(dir('nan'), 'checkpoint.safetensors'))).toBe(true);
      expect(existsSync(join(dir('nan'), 'model.safetensors'))).toBe(false);
    },
    TIMEOUT,
  );

  it(
    'rejects bad flags and bad files with a message naming them',
    async () => {
      const [model, epochs, lr, split, unknown, missingDir, badData, badCkpt] = await Promise.all([
        gd(['mnist', '--model', 'transformer']),
        gd(['mnist', '--epochs', '0']),
        gd(['mnist', '--lr', 'fast']),
        gd(['mnist', '--val-split', '1']),
        gd(['mnist', '--bogus']),
        gd(['mnist', '--data-dir', dir('does-not-exist'), '--out', dir('x')]),
        gd(['mnist', '--data-dir', badDir, '--out', dir('y')]),
        (async () => {
          writeFileSync(dir('garbage.safetensors'), 'not a safetensors file');
          return gd(['evaluate', '--checkpoint', dir('garbage.safetensors')]);
        })(),
      ]);
      expect(model!.code).toBe(1);
      expect(model!.stderr).toMatch(
        /option '--model <name>' argument 'transformer' is invalid\. Allowed choices are logistic, simple, deep, resnet, cnn/,
      );
      expect(epochs!.stderr).toMatch(
        /'--epochs <n>' argument '0' is invalid\. expected a positive integer/,
      );
      expect(lr!.stderr).toMatch(/'--lr <rate>' argument 'fast' is invalid/);
      expect(split!.stderr).toMatch(
        /'--val-split <fraction>' argument '1' is invalid\. expected a fraction >= 0 and < 1/,
      );
      expect(unknown!.stderr).toMatch(/unknown option '--bogus'/);
      for (const r of [epochs, lr, split, unknown]) expect(r!.code).toBe(1);
      expect(missingDir!.code).toBe(1);
      expect(missingDir!.stderr).toMatch(/--data-dir: .*does-not-exist does not exist/);
      expect(badData!.code).toBe(1);
      expect(badData!.stderr).toMatch(/--data-dir: .*train-labels-idx1-ubyte/);
      expect(badCkpt!.code).toBe(1);
      expect(badCkpt!.stderr).toMatch(/cannot read checkpoint .*garbage\.safetensors/);
    },
    TIMEOUT,
  );
});

describe('gd-train evaluate', () => {
  it(
    'reports the test accuracy of a saved model and its confusion matrix',
    async () => {
      const { run, evaluate, evaluateGz } = await main;
      const out = ok(evaluate);
      const summary = JSON.parse(readFileSync(join(dir('main'), 'summary.json'), 'utf8'));
      expect(out).toContain(`test accuracy ${(summary.testAccuracy * 100).toFixed(2)}%`);
      expect(ok(run)).toContain(`test accuracy ${(summary.testAccuracy * 100).toFixed(2)}% (`);
      expect(out).toMatch(/^true\\pred +0 +1 +2 +3 +4 +5 +6 +7 +8 +9$/m);
      const rows = out.split('\n').filter((l) => /^\d {9}/.test(l));
      expect(rows).toHaveLength(10);
      const counts = rows.map((l) => l.trim().split(/\s+/).slice(1).map(Number));
      expect(counts).toEqual(summary.confusion);
      const saved = JSON.parse(readFileSync(join(dir('eval'), 'evaluation.json'), 'utf8'));
      expect(saved.accuracy).toBe(summary.testAccuracy);
      expectPng(join(dir('eval'), 'confusion-matrix.png'));
      expectPng(join(dir('eval'), 'misclassified.png'));
      // the whole test split, read from a --data-dir of .gz files
      expect(ok(evaluateGz)).toMatch(/test accuracy [\d.]+% \(\d+\/10000\)/);
    },
    TIMEOUT,
  );
});

describe('gd-train export', () => {
  it(
    'writes an ONNX file and a Triton model repository with dynamic batching',
    async () => {
      const { onnx, triton } = await main;
      expect(ok(onnx)).toMatch(/wrote .*m\.onnx \(simple, \d+ bytes, opset 17\)/);
      const bytes = readFileSync(join(dir('export'), 'm.onnx'));
      expect(readOnnxMetadata(bytes)['normalize.mean']).toBe('[0.1307]');
      const { model } = loadWeights(join(dir('main'), 'checkpoint.safetensors'));
      const test = loadSplit({ train: false, limit: 8 });
      const [x] = test.dataset.getBatch([0, 1, 2, 3, 4, 5, 6, 7]);
      expect((await verifyOnnx(model, bytes, [x])).maxAbsDiff).toBeLessThan(1e-4);

      expect(ok(triton)).toContain('wrote a Triton model repository');
      const config = readFileSync(join(dir('triton'), 'digits', 'config.pbtxt'), 'utf8');
      expect(config).toContain('name: "digits"');
      expect(config).toContain('platform: "onnxruntime_onnx"');
      expect(config).toContain('max_batch_size: 32');
      expect(config).toMatch(/name: "input"\s+data_type: TYPE_FP32\s+dims: \[ 1, 28, 28 \]/);
      expect(config).toMatch(/name: "logits"\s+data_type: TYPE_FP32\s+dims: \[ 10 \]/);
      expect(config).toContain('dynamic_batching');
      const repoModel = readFileSync(join(dir('triton'), 'digits', '1', 'model.onnx'));
      expect(readOnnxMetadata(repoModel).labels).toBe(
        JSON.stringify(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']),
      );
    },
    TIMEOUT,
  );

  it(
    'rejects a bad --format, a bad model name and a missing --checkpoint',
    async () => {
      const [format, name, missing] = await Promise.all([
        gd(['export', '--checkpoint', 'x.safetensors', '--out', 'y', '--format', 'tflite']),
        gd([
          'export',
          '--checkpoint',
          join(dir('main'), 'model.safetensors'),
          '--out',
          dir('t2'),
          '--format',
          'triton',
          '--name',
          'a/b',
        ]),
        gd(['export', '--out', 'y.onnx']),
      ]);
      expect(format!.stderr).toMatch(
        /'--format <format>' argument 'tflite' is invalid\. Allowed choices are onnx, triton/,
      );
      expect(name!.code).toBe(1);
      expect(name!.stderr).toMatch(/--name: 'a\/b' is not a valid model name/);
      expect(missing!.stderr).toMatch(/required option '--checkpoint <file>' not specified/);
    },
    TIMEOUT,
  );
});

describe('gd-train mnist --model lstm / vit', () => {
  it(
    'trains the LSTM and the Vision Transformer and writes every output, ONNX included',
    async () => {
      const [lstm, vit] = await seqModels;
      expect(ok(lstm!)).toMatch(/^training lstm \(82,186 parameters\) on 270 MNIST images/m);
      expect(ok(vit!)).toMatch(/^training vit \([\d,]+ parameters\) on 270 MNIST images/m);
      for (const m of ['lstm', 'vit']) {
        for (const f of ['model.safetensors', 'model.onnx', 'metrics.csv', 'summary.json'])
          expect(existsSync(join(dir(m), f)), `${m}/${f}`).toBe(true);
        expectPng(join(dir(m), 'weights.png'));
      }
    },
    TIMEOUT,
  );
});

describe('gd-train compare', () => {
  it(
    'trains each model and writes the table and the comparison plots',
    async () => {
      const out = ok(await compare);
      expect(out).toMatch(/^== logistic: /m);
      expect(out).toMatch(/^== simple: /m);
      const md = readFileSync(join(dir('compare'), 'comparison.md'), 'utf8');
      expect(md).toContain('| model | parameters | epochs | time | test accuracy |');
      expect(md).toMatch(/^\| logistic \| 7,850 \| 1 \| \d+s \| [\d.]+% \|$/m);
      expect(md).toMatch(/^\| simple \| 101,770 \| 1 \| \d+s \| [\d.]+% \|$/m);
      // The sequence and attention models get their rows at the same settings.
      expect(md).toMatch(/^\| lstm \| 82,186 \| 1 \| \d+s \| [\d.]+% \|$/m);
      expect(md).toMatch(/^\| vit \| 138,890 \| 1 \| \d+s \| [\d.]+% \|$/m);
      expect(out).toMatch(/^== lstm: sequential MNIST/m);
      expect(out).toMatch(/^== vit: Vision Transformer/m);
      expect(out).toContain('| logistic | 7,850 |');
      expectPng(join(dir('compare'), 'comparison.png'));
      expectPng(join(dir('compare'), 'comparison-curves.png'));
      for (const m of ['logistic', 'simple']) {
        expect(existsSync(join(dir('compare'), m, 'model.safetensors'))).toBe(true);
        expectPng(join(dir('compare'), m, 'weights.png'));
      }
    },
    TIMEOUT,
  );
});

describe('--help', () => {
  it(
    'explains each flag of mnist and its default',
    async () => {
      const r = await exec(['mnist', '--help']);
      const out = ok(r);
      const flags: [string, RegExp][] = [
        ['--model <name>', /default: "simple"/],
        ['--epochs <n>', /default: 5/],
        ['--batch-size <n>', /default: 128/],
        ['--lr <rate>', /default: 0\.1 for sgd and momentum/],
        ['--optimizer <name>', /default: "sgd"/],
        ['--schedule <name>', /default: "none"/],
        ['--weight-decay <x>', /default: 0; 0\.01 for adamw/],
        ['--clip-grad <norm>', /default: off/],
        ['--seed <n>', /default: 0/],
        ['--val-split <fraction>', /default: 0\.1/],
        ['--data-dir <dir>', /default: the MNIST shipped/],
        ['--out <dir>', /default: outputs\/train\/<model>/],
        ['--resume', /same weights as an uninterrupted run/],
        ['--limit-train <n>', /default: all 60,000/],
        ['--limit-test <n>', /default: all 10,000/],
      ];
      // one block per option: its line and the indented continuation lines
      const blocks = new Map<string, string>();
      let current = '';
      for (const line of out.split('\n')) {
        const m = /^ {2}(-[-\w]+(?:, --[\w-]+)?(?: <[\w]+>)?)\s/.exec(line);
        if (m) {
          current = m[1]!;
          blocks.set(current, line);
        } else if (current && /^ {20,}\S/.test(line)) {
          blocks.set(current, `${blocks.get(current)!} ${line.trim()}`);
        } else current = '';
      }
      for (const [flag, def] of flags) {
        expect(blocks.has(flag), flag).toBe(true);
        expect(blocks.get(flag), flag).toMatch(def);
      }
      expect(out).not.toContain('--stop-after');
      expect(out).toContain('Exit codes');
    },
    TIMEOUT,
  );

  it(
    'lists the commands, and describes compare, evaluate and export',
    async () => {
      const [top, cmp, ev, ex] = await Promise.all([
        exec(['--help']),
        exec(['compare', '--help']),
        exec(['evaluate', '--help']),
        exec(['export', '--help']),
      ]);
      for (const c of ['mnist', 'compare', 'evaluate', 'export'])
        expect(ok(top!)).toMatch(new RegExp(`^ {2}${c} `, 'm'));
      expect(ok(cmp!)).toMatch(
        /--models <list>[\s\S]*default:\s+logistic,simple,deep,cnn,lstm,vit/,
      );
      expect(ok(ev!)).toContain('--checkpoint <file>');
      expect(ok(ex!)).toMatch(/--format <format>[\s\S]*choices: "onnx", "triton"/);
      const none = await exec([]);
      expect(none.code).toBe(1);
      expect(none.stdout).toContain('Usage: gd-train');
    },
    TIMEOUT,
  );
});
