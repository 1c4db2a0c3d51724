/**
 * Lecture section "One-Dimensional Examples": f(x) = x² − 2x + 1 and its derivative from
 * autograd, the quadratic with gradient arrows, and g(x) = sin(5x)·exp(−x²/2) with g'(x).
 */
import { linspace, noGrad, tensor } from '@gd/autograd';
import type { Tensor } from '@gd/autograd';
import type { Spec } from '@gd/plot';
import type { SectionContext } from './common.js';
import { COLORS, fixed, values } from './common.js';

/** f(x) = x² − 2x + 1, minimum at x = 1. */
const f = (x: Tensor): Tensor => x.pow(2).sub(x.mul(2)).add(1);

/** g(x) = sin(5x)·exp(−x²/2): several minima. */
const g = (x: Tensor): Tensor => x.mul(5).sin().mul(x.pow(2).neg().div(2).exp());

/** Values and derivatives of `fn` at `xs`, the derivatives from one backward pass. */
function valueAndGrad(
  fn: (x: Tensor) => Tensor,
  x: Tensor,
): { x: number[]; y: number[]; dy: number[] } {
  const y = fn(x);
  y.sum().backward(); // sum() to get a scalar for backward()
  return { x: values(x), y: values(y), dy: values(x.grad!) };
}

/** Plain gradient descent on a 1-d function, with autograd computing each derivative. */
function descend(fn: (x: Tensor) => Tensor, x0: number, lr: number, steps: number): number {
  const x = tensor([x0], { requiresGrad: true });
  for (let i = 0; i < steps; i++) {
    x.grad = null;
    fn(x).backward();
    noGrad(() => x.sub_(x.grad!.mul(lr)));
  }
  return x.item();
}

/**
 * The quadratic with the gradient drawn as arrows: in one dimension the gradient is a number, an
 * arrow along x; drawn from (x, f(x)) towards −f'(x) (downhill), its length ∝ |f'(x)|.
 */
function quadraticFigure(
  curve: { x: number[]; y: number[] },
  arrows: { x: number[]; y: number[]; dy: number[] },
): Spec {
  const xDomain = [-1, 3];
  const yDomain = [-0.5, 4.5];
  const scale = 0.15; // an arrow of −scale·f'(x) along x
  const arrowData = arrows.x.map((x0, i) => {
    const d = arrows.dy[i]!;
    return {
      x0,
      y0: arrows.y[i]!,
      x1: x0 - scale * d,
      // Point marks rotate clockwise from "up": 90° points right, −90° left.
      angle: d < 0 ? 90 : -90,
      label: `f'(${fixed(x0, 1)}) = ${fixed(d, 1)}`,
      side: d < 0 ? 'left' : d > 0 ? 'right' : 'below',
    };
  });
  const x = { type: 'quantitative', scale: { domain: xDomain } };
  const y = { type: 'quantitative', scale: { domain: yDomain } };
  const label = (side: string, mark: Record<string, unknown>): Record<string, unknown> => ({
    transform: [{ filter: `datum.side === '${side}'` }],
    mark: { type: 'text', fontSize: 11, color: '#333333', ...mark },
    encoding: { x: { field: 'x0', ...x }, y: { field: 'y0', ...y }, text: { field: 'label' } },
  });
  return {
    title: {
      text: 'f(x) = x² − 2x + 1 and its gradient',
      subtitle:
        "orange arrows: −f'(x), pointing downhill, length ∝ |f'(x)|; f'(1) = 0 at the minimum",
    },
    width: 560,
    height: 340,
    layer: [
      {
        data: { values: curve.x.map((xv, i) => ({ x: xv, y: curve.y[i]!, series: 'f(x)' })) },
        mark: { type: 'line', strokeWidth: 2.5 },
        encoding: {
          x: { field: 'x', title: 'x', ...x, axis: { tickMinStep: 0.5 } },
          y: { field: 'y', title: 'f(x)', ...y },
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: { domain: ['f(x)', "−f'(x)"], range: [COLORS[0], COLORS[1]] },
          },
        },
      },
      {
        data: { values: arrowData },
        layer: [
          {
            transform: [{ filter: "datum.side !== 'below'" }],
            mark: { type: 'rule', strokeWidth: 3, color: COLORS[1] },
            encoding: {
              x: { field: 'x0', ...x },
              x2: { field: 'x1' },
              y: { field: 'y0', ...y },
            },
          },
          {
            transform: [{ filter: "datum.side !== 'below'" }],
            mark: { type: 'point', shape: 'triangle-up', filled: true, size: 120, opacity: 1 },
            encoding: {
              x: { field: 'x1', ...x },
              y: { field: 'y0', ...y },
              angle: { field: 'angle', type: 'quantitative', scale: null },
              color: { value: COLORS[1] },
            },
          },
          {
            mark: { type: 'point', filled: true, size: 45, color: '#333333', opacity: 1 },
            encoding: { x: { field: 'x0', ...x }, y: { field: 'y0', ...y } },
          },
          label('left', { align: 'right', dx: -6, dy: 12 }),
          label('right', { align: 'left', dx: 6, dy: 12 }),
          label('below', { baseline: 'top', dy: 9 }),
        ],
      },
      {
        // An invisible series so that the legend names the arrows too.
        data: { values: [{ x: 1, y: 0, series: "−f'(x)" }] },
        mark: { type: 'line', opacity: 0 },
        encoding: {
          x: { field: 'x', ...x },
          y: { field: 'y', ...y },
          color: { field: 'series', type: 'nominal' },
        },
      },
    ],
  } as Spec;
}

/** g and g' as two curves, plus where gradient descent from a few starts ends up. */
function complexFigure(
  curve: { x: number[]; y: number[]; dy: number[] },
  runs: { start: number; end: number; gEnd: number }[],
): Spec {
  const rows = curve.x.flatMap((x, i) => [
    { x, v: curve.y[i]!, series: 'g(x)' },
    { x, v: curve.dy[i]!, series: "g'(x) (autograd)" },
  ]);
  return {
    title: {
      text: 'Function with Multiple Minima',
      subtitle:
        'g(x) = sin(5x)·exp(−x²/2) on linspace(−3, 3, 100); dots: where gradient descent ends',
    },
    width: 620,
    height: 300,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: 'x', scale: { domain: [-3, 3] } },
          y: { field: 'v', type: 'quantitative', title: "g(x), g'(x)" },
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            sort: null,
            scale: { range: [COLORS[0], COLORS[1]] },
          },
        },
      },
      {
        data: { values: [{ y: 0 }] },
        mark: { type: 'rule', color: '#999999', strokeDash: [4, 4] },
        encoding: { y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values: endPoints(runs) },
        layer: [
          {
            mark: { type: 'point', filled: true, size: 70, color: COLORS[3], opacity: 1 },
            encoding: {
              x: { field: 'x', type: 'quantitative' },
              y: { field: 'v', type: 'quantitative' },
            },
          },
          // The label twice: a white outline first, so that it reads over the curves.
          ...[{ stroke: 'white', strokeWidth: 4 }, {}].map((outline) => ({
            mark: { type: 'text', dy: 16, fontSize: 11, color: COLORS[3], ...outline },
            encoding: {
              x: { field: 'x', type: 'quantitative' },
              y: { field: 'v', type: 'quantitative' },
              text: { field: 'label' },
            },
          })),
        ],
      },
    ],
  } as Spec;
}

/** The end points of gradient-descent runs, runs that end at the same minimum labelled together. */
function endPoints(
  runs: { start: number; end: number; gEnd: number }[],
): { x: number; v: number; label: string }[] {
  const groups: { x: number; v: number; starts: number[] }[] = [];
  for (const r of runs) {
    const same = groups.find((gr) => Math.abs(gr.x - r.end) < 1e-3);
    if (same) same.starts.push(r.start);
    else groups.push({ x: r.end, v: r.gEnd, starts: [r.start] });
  }
  return groups.map((gr) => ({
    x: gr.x,
    v: gr.v,
    label: `GD from x = ${gr.starts.map((s) => fixed(s, 1)).join(', ')}`,
  }));
}

/** Where a sampled derivative changes sign: local minima (− to +) and maxima (+ to −). */
function stationaryPoints(xs: number[], dy: number[]): { minima: number[]; maxima: number[] } {
  const minima: number[] = [];
  const maxima: number[] = [];
  for (let i = 1; i < xs.length; i++) {
    const a = dy[i - 1]!;
    const b = dy[i]!;
    if (Math.sign(a) === Math.sign(b)) continue;
    // Linear interpolation of the zero crossing between the two grid points.
    const x = xs[i - 1]! + ((xs[i]! - xs[i - 1]!) * a) / (a - b);
    (a < 0 ? minima : maxima).push(x);
  }
  return { minima, maxima };
}

/**
 * Runs the section: prints its results with `ctx.log` and writes its figures with `ctx.figure`.
 *
 * @example
 * ```ts
 * await run(createContext('outputs/examples/01-one-dimensional'));
 * ```
 */
export async function run(ctx: SectionContext): Promise<void> {
  ctx.log('f(x) = x**2 - 2*x + 1, gradient from autograd:');
  const x = tensor([0.0], { requiresGrad: true });
  const y = f(x);
  y.backward();
  ctx.log(`At x = ${fixed(x.item(), 1)}`);
  ctx.log(`f(x) = ${fixed(y.item(), 1)}`);
  ctx.log(`f'(x) = ${fixed(x.grad!.item(), 1)}`); // gradient is -2 at x=0

  // Gradients at several points in one backward pass.
  const pts = valueAndGrad(f, tensor([-0.5, 0, 0.5, 1, 1.5, 2, 2.5], { requiresGrad: true }));
  ctx.log('');
  ctx.log("f'(x) = 2x - 2 at the arrows (negative: downhill is to the right):");
  ctx.log(pts.x.map((v, i) => `  f'(${fixed(v, 1)}) = ${fixed(pts.dy[i]!, 1)}`).join('\n'));

  const curve = noGrad(() => {
    const xs = linspace(-1, 3, 161);
    return { x: values(xs), y: values(f(xs)) };
  });
  await ctx.figure('quadratic_function.png', quadraticFigure(curve, pts));

  ctx.log('');
  ctx.log('g(x) = sin(5x) * exp(-x**2/2) on linspace(-3, 3, 100), y.sum().backward():');
  const gx = valueAndGrad(g, linspace(-3, 3, 100, { requiresGrad: true }));
  ctx.log(
    `  g(x) in [${fixed(Math.min(...gx.y))}, ${fixed(Math.max(...gx.y))}], g'(x) in [${fixed(Math.min(...gx.dy))}, ${fixed(Math.max(...gx.dy))}]`,
  );
  const { minima, maxima } = stationaryPoints(gx.x, gx.dy);
  ctx.log(`  g' changes sign ${minima.length + maxima.length} times:`);
  ctx.log(`  local minima near x = ${minima.map((v) => fixed(v, 2)).join(', ')}`);
  ctx.log(`  local maxima near x = ${maxima.map((v) => fixed(v, 2)).join(', ')}`);

  ctx.log('');
  ctx.log('Gradient descent on g (lr 0.05, 100 steps): the start decides the minimum found');
  const runs = [-1.0, -0.2, 0.3, 1.0].map((start) => {
    const end = descend(g, start, 0.05, 100);
    const gEnd = noGrad(() => g(tensor([end])).item());
    ctx.log(`  start x = ${fixed(start, 1)} -> x = ${fixed(end)}, g(x) = ${fixed(gEnd)}`);
    return { start, end, gEnd };
  });
  await ctx.figure('complex_function.png', complexFigure(gx, runs));
}
