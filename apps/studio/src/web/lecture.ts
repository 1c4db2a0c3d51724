/**
 * The lecture's first sections, computed live with gd in the page: one-dimensional gradients
 * with their computational graph, the pitfalls with the errors gd really throws, least squares
 * (autograd's gradient next to the hand-derived one, then gradient descent), and the loss
 * functions with their gradients.
 */
import { linspace, noGrad, onesLike, tensor, zeros } from '@gd/autograd';
import { renderSvg } from '@gd/autograd/graph';
import type { Tensor } from '@gd/autograd';
import { linearRegressionData } from '@gd/datasets';
import { F, Linear } from '@gd/nn';
import { lineChart } from './charts.js';

const $ = <T extends Element>(sel: string): T => {
  const e = document.querySelector<T>(sel);
  if (!e) throw new Error(`the page has no ${sel}`);
  return e;
};

/** The numbers of a 1-d or 0-d tensor. */
const numbers = (t: Tensor): number[] => (t.ndim === 0 ? [t.item()] : (t.tolist() as number[]));
const fmt = (v: number): string =>
  Math.abs(v) < 1e-12 ? '0' : Number(v.toPrecision(4)).toString();

/** Draws a computational graph with Graphviz (loaded on first use) into `target`. */
async function drawGraph(
  target: HTMLElement,
  roots: Tensor | Tensor[],
  names: Record<string, Tensor>,
): Promise<void> {
  target.dataset.state = 'drawing';
  try {
    target.innerHTML = await renderSvg(roots, { names });
    target.dataset.state = 'ready';
  } catch (e) {
    target.textContent = `cannot draw the graph: ${(e as Error).message}`;
    target.dataset.state = 'error';
  }
}

// ---- 1. one-dimensional examples ---------------------------------------------------------

const f = (x: Tensor): Tensor => x.pow(2).sub(x.mul(2)).add(1);
const g = (x: Tensor): Tensor => x.mul(5).sin().mul(x.pow(2).div(-2).exp());

/** f and f' (or g and g') on a grid, by one backward pass through the sum. */
function curve(
  fn: (x: Tensor) => Tensor,
  lo: number,
  hi: number,
): { xs: number[]; ys: number[]; dys: number[] } {
  const x = linspace(lo, hi, 121, { requiresGrad: true });
  const y = fn(x);
  y.sum().backward(); // the sum is a scalar; its gradient is f'(x) at every grid point
  return { xs: numbers(x.detach()), ys: numbers(y.detach()), dys: numbers(x.grad!) };
}

async function oneDimensional(): Promise<void> {
  const slider = $<HTMLInputElement>('#x0');
  const out = $<HTMLElement>('#x0-out');
  const chart = $<SVGSVGElement>('#f-chart');
  const fc = curve(f, -1, 3);
  const update = async (): Promise<void> => {
    const v = Number(slider.value);
    const x = tensor([v], { requiresGrad: true });
    const y = f(x);
    y.backward();
    out.textContent = `x = ${fmt(v)}:  f(x) = ${fmt(y.item())},  f'(x) = x.grad = ${fmt(x.grad!.item())}`;
    lineChart(
      chart,
      [
        { name: 'f(x)', color: '#1565c0', points: fc.xs.map((t, i) => [t, fc.ys[i]!]) },
        {
          name: "f'(x)",
          color: '#ef6c00',
          points: fc.xs.map((t, i) => [t, fc.dys[i]!]),
          dashed: true,
        },
      ],
      { xLabel: 'x', markers: [{ x: v, color: '#555' }] },
    );
  };
  slider.addEventListener('input', () => void update());
  await update();
  const gc = curve(g, -3, 3);
  const start = $<HTMLInputElement>('#g0');
  const descend = (): void => {
    // Gradient descent on g from the chosen start: the minimum it finds depends on where it starts.
    const x = tensor([Number(start.value)], { requiresGrad: true });
    const path: [number, number][] = [];
    for (let step = 0; step < 40; step++) {
      const y = g(x);
      path.push([x.item(), y.item()]);
      x.grad = null;
      y.backward();
      noGrad(() => x.sub_(x.grad!.mul(0.05)));
    }
    const [xEnd, yEnd] = path[path.length - 1]!;
    $<HTMLElement>('#g0-out').textContent =
      `from x = ${fmt(path[0]![0])}, 40 steps of x ← x − 0.05·g′(x) end at x = ${fmt(xEnd)}, g(x) = ${fmt(yEnd)}`;
    lineChart(
      $<SVGSVGElement>('#g-chart'),
      [
        { name: 'g(x)', color: '#1565c0', points: gc.xs.map((t, i) => [t, gc.ys[i]!]) },
        {
          name: "g'(x)",
          color: '#ef6c00',
          points: gc.xs.map((t, i) => [t, gc.dys[i]!]),
          dashed: true,
        },
        { name: 'descent', color: '#2e7d32', points: path, dots: true },
      ],
      { xLabel: 'x', x: [-3, 3] },
    );
  };
  start.addEventListener('input', descend);
  descend();
  const x = tensor([0.0], { requiresGrad: true });
  const y = f(x);
  await drawGraph($<HTMLElement>('#f-graph'), y, { x, 'f(x)': y });
}

// ---- 2. pitfalls -----------------------------------------------------------------------------

interface Attempt {
  code: string;
  run: () => string;
}
interface Pitfall {
  title: string;
  why: string;
  wrong: Attempt;
  right: Attempt;
}

const gradText = (t: Tensor): string =>
  t.grad ? `[${numbers(t.grad).map(fmt).join(', ')}]` : 'null';

/** Each pitfall as code and the same code run (the strings mirror the functions). */
export const PITFALLS: readonly Pitfall[] = [
  {
    title: 'Breaking the computational graph',
    why: 'detach() returns a tensor outside the graph: nothing after it can reach x.',
    wrong: {
      code: 'const x = tensor([1], { requiresGrad: true });\nconst w = x.mul(2).detach().mul(3);\nw.backward();',
      run: () => {
        const x = tensor([1], { requiresGrad: true });
        const w = x.mul(2).detach().mul(3);
        w.backward();
        return `x.grad = ${gradText(x)}`;
      },
    },
    right: {
      code: 'const w = x.mul(2).mul(3);\nw.backward();',
      run: () => {
        const x = tensor([1], { requiresGrad: true });
        x.mul(2).mul(3).backward();
        return `x.grad = ${gradText(x)}`;
      },
    },
  },
  {
    title: 'In-place operations',
    why: 'exp saves its output for the backward pass; changing that output in place makes the saved value stale, and autograd refuses.',
    wrong: {
      code: 'const y = x.exp();\ny.add_(1);\ny.backward();',
      run: () => {
        const x = tensor([1], { requiresGrad: true });
        const y = x.exp();
        y.add_(1);
        y.backward();
        return `x.grad = ${gradText(x)}`;
      },
    },
    right: {
      code: 'const y = x.exp().add(1); // a new tensor\ny.backward();',
      run: () => {
        const x = tensor([1], { requiresGrad: true });
        x.exp().add(1).backward();
        return `x.grad = ${gradText(x)}`;
      },
    },
  },
  {
    title: 'In-place on a leaf that requires grad',
    why: 'Updating parameters must happen outside the graph, as optimizers do.',
    wrong: {
      code: 'x.sub_(0.1);',
      run: () => {
        const x = tensor([1], { requiresGrad: true });
        x.sub_(0.1);
        return `x = ${numbers(x.detach()).map(fmt).join(', ')}`;
      },
    },
    right: {
      code: 'noGrad(() => x.sub_(0.1));',
      run: () => {
        const x = tensor([1], { requiresGrad: true });
        noGrad(() => x.sub_(0.1));
        return `x = [${numbers(x.detach()).map(fmt).join(', ')}]`;
      },
    },
  },
  {
    title: 'Gradient accumulation',
    why: 'backward() adds into .grad; clear it between steps (optimizer.zeroGrad()).',
    wrong: {
      code: 'for (let i = 0; i < 3; i++) x.mul(2).backward();',
      run: () => {
        const x = tensor([1], { requiresGrad: true });
        for (let i = 0; i < 3; i++) x.mul(2).backward();
        return `x.grad = ${gradText(x)}  (2 + 2 + 2)`;
      },
    },
    right: {
      code: 'for (let i = 0; i < 3; i++) {\n  x.grad = null;\n  x.mul(2).backward();\n}',
      run: () => {
        const x = tensor([1], { requiresGrad: true });
        for (let i = 0; i < 3; i++) {
          x.grad = null;
          x.mul(2).backward();
        }
        return `x.grad = ${gradText(x)}`;
      },
    },
  },
  {
    title: 'Scalar vs vector backward',
    why: 'backward() without an argument needs a scalar; a vector output needs the gradient flowing into it.',
    wrong: {
      code: 'const y = tensor([[1, 2]], { requiresGrad: true }).mul(2);\ny.backward();',
      run: () => {
        const y = tensor([[1, 2]], { requiresGrad: true }).mul(2);
        y.backward();
        return 'ok';
      },
    },
    right: {
      code: 'y.backward(onesLike(y));',
      run: () => {
        const x = tensor([[1, 2]], { requiresGrad: true });
        const y = x.mul(2);
        y.backward(onesLike(y));
        return `x.grad = ${JSON.stringify(x.grad!.tolist())}`;
      },
    },
  },
  {
    title: 'Leaf node errors',
    why: 'requiresGrad is a property of leaves; a computed tensor inherits it from its inputs.',
    wrong: {
      code: 'const y = x.mul(2);\ny.requiresGrad_(false);',
      run: () => {
        const x = tensor([1], { requiresGrad: true });
        const y = x.mul(2);
        y.requiresGrad_(false);
        return `y.requiresGrad = ${y.requiresGrad}`;
      },
    },
    right: {
      code: 'const z = x.mul(2).detach(); // a new leaf without grad',
      run: () => {
        const x = tensor([1], { requiresGrad: true });
        const z = x.mul(2).detach();
        return `z.requiresGrad = ${z.requiresGrad}, z.isLeaf = ${z.isLeaf}`;
      },
    },
  },
  {
    title: 'Memory: evaluation without a graph',
    why: 'Under noGrad nothing is recorded, so no tensors are kept for a backward pass.',
    wrong: {
      code: 'const out = model.call(data);',
      run: () => {
        const out = new Linear(3, 1).call(zeros([4, 3]));
        return `out.requiresGrad = ${out.requiresGrad}, gradFn = ${out.gradFn?.name ?? 'null'}`;
      },
    },
    right: {
      code: 'const out = noGrad(() => model.call(data));',
      run: () => {
        const model = new Linear(3, 1);
        const out = noGrad(() => model.call(zeros([4, 3])));
        return `out.requiresGrad = ${out.requiresGrad}, gradFn = ${out.gradFn?.name ?? 'null'}`;
      },
    },
  },
];

function attemptBlock(label: string, a: Attempt): HTMLElement {
  const div = document.createElement('div');
  div.className = 'attempt';
  const pre = document.createElement('pre');
  pre.textContent = a.code;
  const result = document.createElement('p');
  try {
    result.textContent = `→ ${a.run()}`;
    result.className = 'ok';
  } catch (e) {
    const err = e as Error;
    result.textContent = `✗ ${err.name}: ${err.message}`;
    result.className = 'error';
    result.dataset.error = err.message;
  }
  const h = document.createElement('h4');
  h.textContent = label;
  div.append(h, pre, result);
  return div;
}

function pitfalls(): void {
  const list = $<HTMLElement>('#pitfall-list');
  for (const p of PITFALLS) {
    const card = document.createElement('article');
    card.className = 'pitfall';
    const h = document.createElement('h3');
    h.textContent = p.title;
    const why = document.createElement('p');
    why.textContent = p.why;
    const row = document.createElement('div');
    row.className = 'pair';
    row.append(attemptBlock('Wrong', p.wrong), attemptBlock('Right', p.right));
    card.append(h, why, row);
    list.append(card);
  }
}

// ---- 3. least squares ------------------------------------------------------------------------

async function leastSquares(): Promise<void> {
  const { X, y, wTrue } = linearRegressionData({ seed: 42 });
  const n = X.shape[0]!;
  const w = zeros([3], { requiresGrad: true });
  const loss = X.matmul(w).sub(y).pow(2).mean().mul(0.5);
  loss.backward();
  const manual = X.T.matmul(X.matmul(w.detach()).sub(y)).div(n);
  const auto = numbers(w.grad!);
  const hand = numbers(manual);
  const diff = Math.max(...auto.map((v, i) => Math.abs(v - hand[i]!)));
  $<HTMLElement>('#ls-grads').textContent =
    `autograd:  w.grad = [${auto.map(fmt).join(', ')}]\n` +
    `by hand:   Xᵀ(Xw − y)/n = [${hand.map(fmt).join(', ')}]\n` +
    `largest difference: ${diff.toExponential(1)}`;
  const lrInput = $<HTMLInputElement>('#ls-lr');
  const run = (): void => {
    const lr = Number(lrInput.value);
    const v = zeros([3], { requiresGrad: true });
    const losses: [number, number][] = [];
    for (let step = 0; step <= 60; step++) {
      const l = X.matmul(v).sub(y).pow(2).mean().mul(0.5);
      losses.push([step, l.item()]);
      v.grad = null;
      l.backward();
      noGrad(() => v.sub_(v.grad!.mul(lr)));
    }
    lineChart(
      $<SVGSVGElement>('#ls-chart'),
      [{ name: `loss, lr ${lr}`, color: '#6a1b9a', points: losses }],
      {
        xLabel: 'step',
        yLabel: 'loss',
      },
    );
    $<HTMLElement>('#ls-w').textContent =
      `after 60 steps: w = [${numbers(v.detach()).map(fmt).join(', ')}]   (true: [${numbers(wTrue).map(fmt).join(', ')}])`;
  };
  lrInput.addEventListener('change', run);
  run();
  await drawGraph($<HTMLElement>('#ls-graph'), loss, { X, w, y, loss });
}

// ---- 4. loss functions -----------------------------------------------------------------------

/** A loss of each element and its gradient with respect to the prediction, over a grid. */
function lossCurve(fn: (p: Tensor, t: Tensor) => Tensor, lo: number, hi: number, target: number) {
  const p = linspace(lo, hi, 121, { requiresGrad: true });
  const t = onesLike(p.detach()).mul(target);
  const l = fn(p, t);
  l.sum().backward();
  const xs = numbers(p.detach());
  const ls = numbers(l.detach());
  const gs = numbers(p.grad!);
  return {
    loss: xs.map((x, i) => [x, ls[i]!] as [number, number]),
    grad: xs.map((x, i) => [x, gs[i]!] as [number, number]),
  };
}

function losses(): void {
  const none = { reduction: 'none' as const };
  const regression = [
    { name: 'MSE', color: '#1565c0', fn: (p: Tensor, t: Tensor) => F.mseLoss(p, t, none) },
    { name: 'L1', color: '#ef6c00', fn: (p: Tensor, t: Tensor) => F.l1Loss(p, t, none) },
    {
      name: 'Huber (δ = 1)',
      color: '#2e7d32',
      fn: (p: Tensor, t: Tensor) => F.huberLoss(p, t, none),
    },
  ].map((s) => ({ ...s, ...lossCurve(s.fn, -3, 3, 0) }));
  lineChart(
    $<SVGSVGElement>('#loss-reg'),
    regression.map((s) => ({ name: s.name, color: s.color, points: s.loss })),
    {
      xLabel: 'prediction − target',
      yLabel: 'loss',
    },
  );
  lineChart(
    $<SVGSVGElement>('#loss-reg-grad'),
    regression.map((s) => ({ name: s.name, color: s.color, points: s.grad })),
    {
      xLabel: 'prediction − target',
      yLabel: 'gradient',
    },
  );
  const bce = lossCurve((p, t) => F.binaryCrossEntropyWithLogits(p, t, none), -6, 6, 1);
  const bce0 = lossCurve((p, t) => F.binaryCrossEntropyWithLogits(p, t, none), -6, 6, 0);
  lineChart(
    $<SVGSVGElement>('#loss-cls'),
    [
      { name: 'BCE, label 1', color: '#1565c0', points: bce.loss },
      { name: 'BCE, label 0', color: '#c62828', points: bce0.loss },
      { name: 'gradient, label 1', color: '#1565c0', points: bce.grad, dashed: true },
    ],
    { xLabel: 'logit z', yLabel: 'loss' },
  );
}

/**
 * Fills the four lecture sections (the graphs are drawn asynchronously; each section's
 * element gets `data-state="ready"` when done).
 */
export async function lectureSections(): Promise<void> {
  pitfalls();
  $<HTMLElement>('#pitfalls').dataset.state = 'ready';
  losses();
  $<HTMLElement>('#losses').dataset.state = 'ready';
  await Promise.all([
    oneDimensional().then(() => ($<HTMLElement>('#one-d').dataset.state = 'ready')),
    leastSquares().then(() => ($<HTMLElement>('#least-squares').dataset.state = 'ready')),
  ]);
}
