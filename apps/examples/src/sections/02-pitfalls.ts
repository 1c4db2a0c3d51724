/**
 * Lecture section "Common Pitfalls in Gradient Computation": each pitfall run as written, with
 * what PyTorch (and gd) really do, errors caught and printed, and the computational graph.
 *
 * Where the lecture's comments and PyTorch disagree, PyTorch wins: `y += 1` after `y = x * 2`
 * works (MulBackward0 saved nothing that the in-place add changes), and `requires_grad_(True)` on
 * `x * 2` of an `x` that does not require grad works (nothing was recorded, so the result is a
 * leaf).
 */
import { manualSeed, noGrad, onesLike, randn, tensor } from '@gd/autograd';
import { renderSvg } from '@gd/autograd/graph';
import type { Tensor } from '@gd/autograd';
import { Linear } from '@gd/nn';
import type { SectionContext } from './common.js';
import { attempt, gradOf, py, titledSvg } from './common.js';

/** How many tensors the graph behind `t` keeps saved for its backward pass. */
function savedTensorCount(t: Tensor): number {
  const seen = new Set<unknown>();
  const stack = t.gradFn ? [t.gradFn] : [];
  let n = 0;
  while (stack.length) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    n += node.savedTensors().length;
    for (const next of node.next) if (next) stack.push(next);
  }
  return n;
}

/** `grad_fn=<Name>` or `grad_fn=None`. */
function gradFnOf(t: Tensor): string {
  return `grad_fn=${t.gradFn ? `<${t.gradFn.name}>` : 'None'}`;
}

/**
 * Runs the section: prints its results with `ctx.log` and writes its figures with `ctx.figure`.
 *
 * @example
 * ```ts
 * await run(createContext('outputs/examples/02-pitfalls'));
 * ```
 */
export async function run(ctx: SectionContext): Promise<void> {
  const { log } = ctx;
  const outcome = (label: string, fn: () => string): void => {
    const r = attempt(fn);
    log(r.ok ? `  ${label}: ${r.value}` : `  ${label}: error: ${r.error}`);
  };

  log('1. Breaking the computational graph');
  {
    const x = tensor([1.0], { requiresGrad: true });
    const y = x.mul(2);
    const z = y.detach(); // breaks the graph
    const w = z.mul(3);
    log(
      `  wrong: z = y.detach(); w = z * 3 -> w.requires_grad = ${py(w.requiresGrad)}, ${gradFnOf(w)}`,
    );
    outcome('w.backward()', () => {
      w.backward();
      return 'ok';
    });
    log(`  x.grad = ${gradOf(x)}`);
  }
  {
    const x = tensor([1.0], { requiresGrad: true });
    const w = x.mul(2).mul(3);
    w.backward();
    log(`  right: w = y * 3; w.backward() -> x.grad = ${gradOf(x)}`);
  }

  log('');
  log('2. In-place operations');
  {
    const x = tensor([1.0], { requiresGrad: true });
    const y = x.mul(2);
    y.add_(1); // y += 1
    log(`  y = x * 2; y += 1 -> y = ${y.toString()}, version ${y.version}`);
    outcome('y.backward()', () => {
      y.backward();
      return `works, x.grad = ${gradOf(x)}`;
    });
    log(
      '  (the lecture says this errors; PyTorch does not: MulBackward0 saved only the 2, which y += 1 leaves alone)',
    );
  }
  {
    const x = tensor([1.0], { requiresGrad: true });
    const y = x.mul(2).add(1); // a new tensor
    y.backward();
    log(`  y = y + 1 (new tensor) -> y.backward(), x.grad = ${gradOf(x)}`);
  }
  {
    const x = tensor([1.0], { requiresGrad: true });
    const y = x.exp(); // ExpBackward0 saves its output
    y.add_(1);
    outcome('y = x.exp(); y += 1; y.backward()', () => {
      y.backward();
      return 'ok';
    });
  }
  {
    const x = tensor([1.0], { requiresGrad: true });
    outcome('x += 1 on a leaf that requires grad', () => {
      x.add_(1);
      return 'ok';
    });
    noGrad(() => x.add_(1));
    log(`  under no_grad (as optimizers update parameters): x = ${x.toString()}`);
  }

  log('');
  log('3. Gradient accumulation');
  {
    const x = tensor([1.0], { requiresGrad: true });
    for (let i = 0; i < 3; i++) x.mul(2).backward(); // gradients accumulate
    log(`  three backward passes: x.grad = ${gradOf(x)}  (2 + 2 + 2)`);
  }
  {
    const x = tensor([1.0], { requiresGrad: true });
    for (let i = 0; i < 3; i++) {
      x.grad = null; // clear gradients
      x.mul(2).backward();
    }
    log(`  x.grad = None before each pass: x.grad = ${gradOf(x)}`);
  }

  log('');
  log('4. Scalar vs vector backward');
  {
    const x = tensor([[1.0, 2.0]], { requiresGrad: true });
    const y = x.mul(2);
    outcome('y.backward() with y of shape [1, 2]', () => {
      y.backward();
      return 'ok';
    });
    y.backward(onesLike(y));
    log(`  y.backward(torch.ones_like(y)): x.grad = ${gradOf(x)}`);
  }

  log('');
  log('5. Leaf node errors');
  {
    const x = tensor([1.0]);
    const y = x.mul(2);
    outcome('x without grad; y = x * 2; y.requires_grad_(True)', () => {
      y.requiresGrad_(true);
      return `works: y.is_leaf = ${py(y.isLeaf)}, y.requires_grad = ${py(y.requiresGrad)}`;
    });
    log(
      '  (the lecture says this errors; PyTorch allows it: nothing was recorded, so y is a leaf)',
    );
  }
  {
    const x = tensor([1.0], { requiresGrad: true });
    const y = x.mul(2);
    log(
      `  x = tensor([1.], requires_grad=True); y = x * 2 -> y.requires_grad = ${py(y.requiresGrad)}, y.is_leaf = ${py(y.isLeaf)}, ${gradFnOf(y)}`,
    );
    outcome('y.requires_grad_(False) on that non-leaf', () => {
      y.requiresGrad_(false);
      return 'ok';
    });
  }

  log('');
  log('6. Memory management');
  {
    manualSeed(0);
    const model = new Linear(3, 1);
    const data = randn([4, 3]);
    const evaluateWasteful = (d: Tensor): Tensor => model.call(d);
    const evaluate = (d: Tensor): Tensor => noGrad(() => model.call(d));
    const tracked = evaluateWasteful(data);
    const untracked = evaluate(data);
    log(
      `  evaluate_wasteful(data): requires_grad = ${py(tracked.requiresGrad)}, ${gradFnOf(tracked)}; the graph holds ${savedTensorCount(tracked)} saved tensor(s) until it is freed`,
    );
    log(
      `  evaluate(data) (no_grad): requires_grad = ${py(untracked.requiresGrad)}, ${gradFnOf(untracked)}; nothing saved`,
    );
    log(`  same values: ${py(untracked.allclose(tracked.detach()))}`);
  }

  // The computational graph: leaves, intermediate results, gradient flow, and a broken branch.
  log('');
  log('The computational graph of w = (x * 2) * 3 + exp(x), next to a branch cut by detach():');
  const x = tensor([1.0], { requiresGrad: true });
  const y = x.mul(2);
  const w = y.mul(3).add(x.exp());
  const wDetached = y.detach().mul(3);
  log(`  w = ${w.toString()}`);
  log(`  detached branch: ${wDetached.toString()} (no grad_fn: backward cannot reach x)`);
  const svg = await renderSvg([w, wDetached], {
    names: { x, 'y = x * 2': y, w, 'y.detach() * 3': wDetached },
  });
  ctx.svgFigure(
    'computational_graph.png',
    titledSvg(
      svg,
      'Computational graph of w = (x·2)·3 + exp(x)',
      'blue: leaf; grey: backward ops; orange: saved for backward; green: outputs; arrows: gradient flow',
    ),
  );
  w.backward();
  log(`  w.backward(): x.grad = ${gradOf(x)} (= 6 + e)`);
}
