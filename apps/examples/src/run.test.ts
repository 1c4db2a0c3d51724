/**
 * Every lecture section run as a real process (`node dist/run.js <section> --out <dir>`): its
 * printed numbers checked against what PyTorch 1.13 prints for the same code and seeds, and its
 * figures checked to be real PNG files. The sections run in parallel once, in `beforeAll`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from './run.js';
import { SECTIONS, findSection } from './sections/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const script = resolve(here, '../dist/run.js');
const root = mkdtempSync(join(tmpdir(), 'gd-examples-'));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runScript(args: string[], cwd = root): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [script, ...args],
      { cwd, encoding: 'utf8' },
      (err, stdout, stderr) => done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const runs = new Map<string, Run>();
const outDir = (name: string): string => join(root, name);

beforeAll(async () => {
  await Promise.all(
    SECTIONS.map(async (s) => runs.set(s.name, await runScript([s.name, '--out', outDir(s.name)]))),
  );
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

function output(name: string): string {
  const r = runs.get(name);
  if (!r) throw new Error(`${name} did not run`);
  if (r.code !== 0) throw new Error(`${name} exited with ${r.code}:\n${r.stderr}`);
  return r.stdout;
}

/** The number after `label` in the output (first match). */
function numberAfter(text: string, label: string): number {
  const i = text.indexOf(label);
  if (i < 0) throw new Error(`"${label}" not in the output`);
  const m = /-?\d+(\.\d+)?(e-?\d+)?/.exec(text.slice(i + label.length));
  if (!m) throw new Error(`no number after "${label}"`);
  return Number(m[0]);
}

/** The numbers of the `[a, b, c]` list after `label`. */
function listAfter(text: string, label: string): number[] {
  const i = text.indexOf(label);
  if (i < 0) throw new Error(`"${label}" not in the output`);
  const rest = text.slice(i + label.length);
  return rest
    .slice(rest.indexOf('[') + 1, rest.indexOf(']'))
    .split(',')
    .map(Number);
}

/** Checks that each expected figure is a real PNG of a reasonable size, listed in the output. */
function expectFigures(name: string, files: string[]): void {
  const dir = outDir(name);
  expect(readdirSync(dir).sort()).toEqual([...files].sort());
  for (const file of files) {
    const path = join(dir, file);
    expect(output(name)).toContain(`figure: ${path}`);
    const png = readFileSync(path);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    expect(width, `${file} width`).toBeGreaterThanOrEqual(400);
    expect(height, `${file} height`).toBeGreaterThanOrEqual(300);
    expect(statSync(path).size, `${file} size`).toBeGreaterThan(20_000);
  }
  expect(output(name)).toContain(`Outputs: ${dir} (${files.length} figure`);
}

describe('the runner', () => {
  it('lists the sections when given none', async () => {
    const r = await runScript([]);
    expect(r.code).toBe(0);
    for (const s of SECTIONS) expect(r.stdout).toContain(s.name);
    expect(r.stdout).toContain('pnpm examples <section>');
  });

  it('rejects an unknown section with exit code 2 and the list', async () => {
    const r = await runScript(['99-nothing']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no section "99-nothing"/);
    expect(r.stderr).toContain('06-gradient-descent');
  });

  it('parses --out, --out=, --help and rejects unknown flags', () => {
    expect(parseArgs(['03', '--out', '/tmp/x'])).toEqual({
      names: ['03'],
      out: '/tmp/x',
      help: false,
    });
    expect(parseArgs(['--out=/tmp/y', '05'])).toEqual({
      names: ['05'],
      out: '/tmp/y',
      help: false,
    });
    expect(parseArgs(['-h']).help).toBe(true);
    expect(() => parseArgs(['--out'])).toThrow(/--out needs a directory/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option --fast/);
  });

  it('finds sections by unique prefix only', () => {
    expect(findSection('03')?.name).toBe('03-least-squares');
    expect(findSection('05-architectures')?.name).toBe('05-architectures');
    expect(findSection('0')).toBeUndefined();
    expect(findSection('x')).toBeUndefined();
  });

  it('writes to outputs/examples/<section> under the working directory by default', async () => {
    const cwd = mkdtempSync(join(root, 'cwd-'));
    const r = await runScript(['05'], cwd);
    expect(r.code).toBe(0);
    const dir = join(cwd, 'outputs', 'examples', '05-architectures');
    expect(readdirSync(dir).sort()).toEqual([
      'activations.png',
      'parameter_counts.png',
      'resnet_block_graph.png',
    ]);
    expect(r.stdout).toContain(`Outputs: ${dir}`);
  });
});

describe('01-one-dimensional', () => {
  it("prints f(0) = 1 and f'(0) = -2 as the lecture does", () => {
    const out = output('01-one-dimensional');
    expect(out).toContain("At x = 0.0\nf(x) = 1.0\nf'(x) = -2.0\n");
    // f'(x) = 2x - 2 at the arrows, zero at the minimum.
    expect(out).toContain("f'(-0.5) = -3.0");
    expect(out).toContain("f'(1.0) = 0.0");
    expect(out).toContain("f'(2.5) = 3.0");
  });

  it("finds g's stationary points and where gradient descent ends (PyTorch: -1.5121, -0.3021, 0.9066)", () => {
    const out = output('01-one-dimensional');
    expect(out).toContain("g' changes sign 10 times");
    expect(out).toContain('local minima near x = -2.73, -1.51, -0.30, 0.91, 2.12');
    expect(out).toContain('local maxima near x = -2.12, -0.91, 0.30, 1.51, 2.73');
    expect(numberAfter(out, 'start x = -1.0 -> x =')).toBeCloseTo(-1.5120625, 3);
    expect(numberAfter(out, 'start x = -0.2 -> x =')).toBeCloseTo(-0.3020903, 3);
    expect(numberAfter(out, 'start x = 0.3 -> x =')).toBeCloseTo(-0.3020903, 3);
    expect(numberAfter(out, 'start x = 1.0 -> x =')).toBeCloseTo(0.9066034, 3);
  });

  it('writes the quadratic and the multiple-minima figures', () => {
    expectFigures('01-one-dimensional', ['quadratic_function.png', 'complex_function.png']);
  });
});

describe('02-pitfalls', () => {
  it('prints what PyTorch does for each pitfall, errors included', () => {
    const out = output('02-pitfalls');
    expect(out).toContain(
      'w.backward(): error: element 0 of tensors does not require grad and does not have a grad_fn',
    );
    expect(out).toContain('right: w = y * 3; w.backward() -> x.grad = tensor([6.])');
    expect(out).toContain('y.backward(): works, x.grad = tensor([2.])');
    expect(out).toMatch(
      /error: one of the variables needed .* output 0 of ExpBackward0, is at version 1; expected version 0/,
    );
    expect(out).toContain(
      'error: a leaf Variable that requires grad is being used in an in-place operation.',
    );
    expect(out).toContain('three backward passes: x.grad = tensor([6.])');
    expect(out).toContain('x.grad = None before each pass: x.grad = tensor([2.])');
    expect(out).toContain('error: grad can be implicitly created only for scalar outputs');
    expect(out).toContain('x.grad = tensor([[2., 2.]])');
    expect(out).toContain('works: y.is_leaf = True, y.requires_grad = True');
    expect(out).toContain('error: you can only change requires_grad flags of leaf variables.');
    expect(out).toContain('(no_grad): requires_grad = False, grad_fn=None');
    expect(out).toContain('w.backward(): x.grad = tensor([8.7183])');
  });

  it('writes the computational graph', () => {
    expectFigures('02-pitfalls', ['computational_graph.png']);
  });
});

describe('03-least-squares', () => {
  const torchGrad = [-1.0044275522232056, 0.4517892003059387, -0.20657256245613098];

  it("prints autograd's gradient and the manual X^T(Xw - y)/n, both equal to PyTorch's", () => {
    const out = output('03-least-squares');
    expect(out).toContain('Autograd gradient: tensor([-1.0044,  0.4518, -0.2066])');
    expect(out).toContain('Manual gradient:   tensor([-1.0044,  0.4518, -0.2066])');
    const autograd = listAfter(out, 'full precision: autograd');
    const manual = listAfter(out, 'manual   ');
    autograd.forEach((g, i) => expect(Math.abs(g - torchGrad[i]!)).toBeLessThan(1e-6));
    manual.forEach((g, i) => expect(Math.abs(g - torchGrad[i]!)).toBeLessThan(1e-6));
    expect(numberAfter(out, 'max |autograd - manual| =')).toBeLessThan(1e-6);
    expect(numberAfter(out, 'loss at w = 0:')).toBeCloseTo(0.6476, 4);
    expect(out).toContain('gradient tensor([-0.4997,  0.2237, -0.0976])'); // complex_loss
  });

  it('fits w to the least-squares solution (PyTorch: [1.0038, -0.4976, 0.2550], loss 0.004729)', () => {
    const out = output('03-least-squares');
    expect(out).toContain('fitted w = tensor([ 1.0038, -0.4976,  0.2550])');
    expect(out).toContain('-> 0.004729');
    expect(out).toContain(
      'MulBackward0 -> MeanBackward0 -> PowBackward0 -> SubBackward0 -> MmBackward0 -> AccumulateGrad(w)',
    );
  });

  it('writes the descent curve and the least-squares graph', () => {
    expectFigures('03-least-squares', ['least_squares_descent.png', 'least_squares_graph.png']);
  });
});

describe('04-complex-losses', () => {
  it('fits the temperature sinusoid close to the true curve, and λ = 0.1 shrinks θ', () => {
    const out = output('04-complex-losses');
    const fit = (lam: string): number[] => {
      const line = out
        .split('\n')
        .find((l) => l.includes(`Adam`) && l.includes(`λ = ${lam.padEnd(5)}:`));
      if (!line) throw new Error(`no fit line for λ = ${lam}`);
      return ['offset ', 'amplitude ', 'phase '].map((k) => numberAfter(line, k));
    };
    const [offset, amplitude, phase] = fit('0.001');
    expect(Math.abs(offset! - 15)).toBeLessThan(0.2);
    expect(Math.abs(amplitude! - 5)).toBeLessThan(0.2);
    expect(Math.abs(phase! - (-3 * Math.PI) / 4)).toBeLessThan(0.05);
    const strong = fit('0.1');
    expect(strong[0]!).toBeLessThan(offset! - 1);
    expect(strong[1]!).toBeLessThan(amplitude! - 0.5);
    expect(numberAfter(out, 'RMSE')).toBeLessThan(0.6);
    expect(numberAfter(out, 'at θ = [10, 3, 0.1] L =')).toBeGreaterThan(0);
  });

  it('trains the regularised logistic regression: the loss falls and the test accuracy is good', () => {
    const out = output('04-complex-losses');
    expect(numberAfter(out, 'at w = 0 L =')).toBeCloseTo(Math.log(2), 4);
    expect(numberAfter(out, 'max difference')).toBeLessThan(1e-6);
    const before = numberAfter(out, 'train loss');
    const after = numberAfter(out, `train loss ${before.toFixed(4)} ->`);
    expect(after).toBeLessThan(before * 0.6);
    expect(numberAfter(out, '%, test ')).toBeGreaterThan(75);
    expect(numberAfter(out, 'cosine(w, w_true) =')).toBeGreaterThan(0.95);
  });

  it('writes the temperature fit and the logistic regression figures', () => {
    expectFigures('04-complex-losses', ['temperature_fit.png', 'logistic_regression.png']);
  });
});

describe('05-architectures', () => {
  it('prints the parameter counts as the lecture does (PyTorch: 89,610 / 1,796,010 / 886,110 / 189,510)', () => {
    const out = output('05-architectures');
    expect(out).toContain(
      'narrow: 89,610 parameters\nwide: 1,796,010 parameters\npyramid: 886,110 parameters\ndiamond: 189,510 parameters\n',
    );
    expect(out).toContain('101,770 parameters; input [64, 784] -> output [64, 10]');
    expect(out).toContain('567,434 parameters');
    expect(out).toContain('3 blocks, 24,960 parameters');
  });

  it("prints the activations at -2..2 with PyTorch's values", () => {
    const out = output('05-architectures');
    expect(out).toContain('ReLU      0.0000  0.0000  0.0000  1.0000  2.0000');
    expect(out).toContain('Tanh     -0.9640 -0.7616  0.0000  0.7616  0.9640');
    expect(out).toContain('Sigmoid   0.1192  0.2689  0.5000  0.7311  0.8808');
    expect(out).toContain('GELU     -0.0455 -0.1587  0.0000  0.8413  1.9545');
  });

  it('writes the activations, parameter-count and residual-block figures', () => {
    expectFigures('05-architectures', [
      'activations.png',
      'parameter_counts.png',
      'resnet_block_graph.png',
    ]);
  });
});

describe('06-gradient-descent', () => {
  it("prints the basic loop's losses as PyTorch does", () => {
    const out = output('06-gradient-descent');
    expect(out).toContain(
      'Step 0: Loss = 1.0317\nStep 100: Loss = 0.8199\nStep 200: Loss = 0.8058\n',
    );
    expect(out).toContain('Step 999: Loss = 0.8043');
  });

  it("compares basic, momentum and cosine with PyTorch's losses; all three reduce the loss", () => {
    const out = output('06-gradient-descent');
    // PyTorch, steps 0 / 10 / 100 / 999 (each method on a fresh Linear(10, 1)).
    expect(out).toContain(
      'basic     step 0: 1.4357  step 10: 1.2098  step 100: 0.8251  step 999: 0.8043',
    );
    expect(out).toContain(
      'momentum  step 0: 1.1436  step 10: 1.0926  step 100: 0.8118  step 999: 0.8043',
    );
    expect(out).toContain(
      'cosine    step 0: 1.4307  step 10: 1.1881  step 100: 0.8212  step 999: 0.8043',
    );
    for (const m of ['basic    ', 'momentum ', 'cosine   ']) {
      const first = numberAfter(out, `${m} step 0:`);
      const last = numberAfter(out.slice(out.indexOf(`${m} step 0:`)), 'step 999:');
      expect(last).toBeLessThan(first * 0.8);
    }
  });

  it('monitors gradient norms and clips them (PyTorch: 1.8273 / 0.0063, clipped to 1.0)', () => {
    const out = output('06-gradient-descent');
    expect(out).toContain('weight grad norm: tensor(1.8273)\nbias grad norm: tensor(0.0063)');
    expect(out).toContain('total norm before clipping: tensor(1.8273)');
    expect(out).toContain('weight grad norm after clipping: tensor(1.0000)');
    expect(out).toContain('bias grad norm after clipping: tensor(0.0035)');
    expect(numberAfter(out, 'total norm after clipping:')).toBeCloseTo(1, 4);
  });

  it("sweeps learning rates and validates with PyTorch's numbers", () => {
    const out = output('06-gradient-descent');
    // The lecture's loop (one model across rates).
    expect(out).toContain('lr=0.0001: loss 1.5296 -> 1.2694');
    expect(out).toContain('lr=0.1: loss 0.8043 -> 0.8043');
    expect(out).toContain('Train: 0.7858, Val: 0.8783');
    // Every rate from the same initial weights.
    expect(out).toContain('lr=0.0001: loss 1.2803 -> step 100: 1.2632 -> step 999: 1.1378');
    expect(out).toContain('lr=0.001: loss 1.2803 -> step 100: 1.1376 -> step 999: 0.8318');
    expect(out).toContain('lr=0.01: loss 1.2803 -> step 100: 0.8313 -> step 999: 0.8043');
  });

  it('writes the training, comparison and sweep figures', () => {
    expectFigures('06-gradient-descent', [
      'training_progress.png',
      'optimization_comparison.png',
      'lr_sweep.png',
    ]);
  });
});
