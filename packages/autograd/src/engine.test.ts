import { describe, expect, it } from 'vitest';
import { getBackend } from '@gd/tensor';
import { conv2d, grad, manualSeed, maxPool2d, randn, relu } from './index.js';
import type { Tensor } from './index.js';

// The engine adds the gradients of region views (narrow, select, slice: what unbind, chunk and
// split are made of) into one buffer in place when nothing records the backward pass. These
// compare that path with the recorded one (createGraph), which builds every gradient out of
// place, on graphs where a buffer is shared, passed on, hooked or retained.
function both(f: (x: Tensor) => Tensor, shape: number[]): [number[], number[]] {
  manualSeed(0);
  const x = randn(shape, { dtype: 'float64', requiresGrad: true });
  const [fast] = grad([f(x)], [x]);
  const [recorded] = grad([f(x)], [x], { createGraph: true });
  return [
    Array.from(fast!.value.data as Float64Array),
    Array.from(recorded!.detach().value.data as Float64Array),
  ];
}

describe('region gradients added in place', () => {
  it('unbind, chunk and split of one tensor, with the tensor also used whole', () => {
    const [fast, recorded] = both(
      (x) => {
        const steps = x.unbind(0);
        const [a, b] = x.chunk(2, 1) as [Tensor, Tensor];
        const parts = x.split([1, 2], 0);
        return steps
          .reduce((s, t, i) => s.add(t.mul(i + 1).sum()), x.pow(2).sum())
          .add(a.exp().sum())
          .add(b.sin().sum())
          .add(parts[1]!.mul(parts[0]!).sum());
      },
      [3, 4],
    );
    expect(fast).toEqual(recorded);
  });

  it('a gradient passed on to two inputs (add) stays intact when regions are added to one', () => {
    const [fast, recorded] = both(
      (x) => {
        const y = x.mul(2);
        const s = y.add(x); // AddBackward hands the same gradient to y and x
        return s
          .select(0, 0)
          .sum()
          .add(s.narrow(0, 1, 2).mul(3).sum())
          .add(x.select(1, 2).mul(5).sum());
      },
      [3, 3],
    );
    expect(fast).toEqual(recorded);
  });

  it('hooks and retainGrad see the summed gradient, not a buffer changed later', () => {
    manualSeed(0);
    const x = randn([4, 2], { dtype: 'float64', requiresGrad: true });
    const h = x.mul(1);
    h.retainGrad();
    const seen: number[][] = [];
    h.registerHook((g) => void seen.push(Array.from(g.value.data as Float64Array)));
    h.unbind(0)
      .reduce((s, r, i) => s.add(r.mul(i).sum()), h.select(1, 0).sum())
      .backward();
    // row i gets i from the unbind, column 0 gets 1 more from the select
    const rows = [0, 1, 2, 3].flatMap((i) => [i + 1, i]);
    expect(seen).toEqual([rows]);
    expect(Array.from(h.grad!.value.data as Float64Array)).toEqual(rows);
    expect(Array.from(x.grad!.value.data as Float64Array)).toEqual(rows);
  });

  it('double backward through select and narrow still works (createGraph records them)', () => {
    manualSeed(0);
    const x = randn([3], { dtype: 'float64', requiresGrad: true });
    const y = x.pow(3);
    const [g] = grad([y.select(0, 1).add(y.narrow(0, 0, 2).sum())], [x], { createGraph: true });
    const [gg] = grad([g!.sum()], [x]);
    const v = Array.from(x.value.data as Float64Array);
    // (+ 0 turns the -0 of a zero gradient times a negative into 0)
    expect(Array.from(gg!.value.data as Float64Array, (d) => d + 0)).toEqual([
      6 * v[0]!,
      12 * v[1]!,
      0,
    ]);
  });
});

describe('gradients the engine owns become .grad without a copy', () => {
  const storageOf = (t: Tensor): unknown => t.value.storage;

  it('never lets two .grad share storage, nor a .grad and the caller', () => {
    const a = randn([3], { requiresGrad: true });
    const b = randn([3], { requiresGrad: true });
    // add's backward hands the same gradient to both inputs
    a.add(b).sum().backward();
    expect(storageOf(a.grad!)).not.toBe(storageOf(b.grad!));
    a.grad!.value.add_(1);
    expect(Array.from(b.grad!.value.data)).toEqual([1, 1, 1]);
    // a root's gradient comes from the caller
    const x = randn([2], { requiresGrad: true });
    const seed = randn([2]);
    x.mul(1).backward(seed);
    expect(storageOf(x.grad!)).not.toBe(storageOf(seed));
  });

  it('copies a gradient a hook has seen', () => {
    const w = randn([4, 3], { requiresGrad: true });
    const seen: Tensor[] = [];
    w.registerHook((g) => {
      seen.push(g);
    });
    randn([2, 4]).matmul(w).sum().backward();
    expect(storageOf(w.grad!)).not.toBe(storageOf(seen[0]!));
    const before = Array.from(seen[0]!.value.data);
    w.grad!.value.add_(1);
    expect(Array.from(seen[0]!.value.data)).toEqual(before);
  });

  it('accumulates later backward passes into the taken gradient correctly', () => {
    manualSeed(1);
    const w = randn([5, 3], { requiresGrad: true });
    const x = randn([2, 5]);
    const once = grad(x.matmul(w).square().sum(), [w])[0]!;
    x.matmul(w).square().sum().backward();
    x.matmul(w).square().sum().backward();
    const twice = Array.from(once.value.data).map((v) => 2 * v);
    Array.from(w.grad!.value.data).forEach((v, i) => expect(v).toBeCloseTo(twice[i]!, 5));
    // a leaf used twice: the engine's sum of both paths
    const v = randn([3], { requiresGrad: true });
    v.mul(2).add(v.mul(3)).sum().backward();
    expect(Array.from(v.grad!.value.data)).toEqual([5, 5, 5]);
  });
});

describe('gradients added in place into buffers the engine owns', () => {
  it('adds into a dense buffer, never into a broadcast view (mean backward expands)', () => {
    const x = randn([2, 3], { requiresGrad: true });
    x.mean().add(x.sum()).add(x.mul(2).sum()).backward();
    const want = 1 / 6 + 1 + 2;
    Array.from(x.grad!.value.data).forEach((v) => expect(v).toBeCloseTo(want, 6));
    const y = randn([4], { requiresGrad: true });
    y.mul(3).mean().add(y.mean()).add(y.sum()).backward();
    Array.from(y.grad!.value.data).forEach((v) => expect(v).toBeCloseTo(0.75 + 0.25 + 1, 6));
  });
});

describe('a weight used transposed (a Linear) gets its gradient without a copy', () => {
  it('is contiguous, correct, and no kernel copied it', () => {
    manualSeed(2);
    const w = randn([3, 5], { requiresGrad: true });
    const x = randn([4, 5]);
    const want = grad(x.matmul(w.t()).square().sum(), [w])[0]!;
    const loss = x.matmul(w.t()).square().sum();
    const backend = getBackend();
    const copy = backend.copy.bind(backend);
    let copies = 0;
    (backend as { copy: typeof copy }).copy = (src, dst) => {
      copies++;
      copy(src, dst);
    };
    try {
      loss.backward();
    } finally {
      (backend as { copy: typeof copy }).copy = copy;
    }
    expect(copies).toBe(0);
    expect(w.grad!.value.isContiguous()).toBe(true);
    Array.from(w.grad!.value.data).forEach((v, i) => expect(v).toBeCloseTo(want.value.data[i]!, 5));
  });
});

// Without createGraph, the engine hands the memory of each gradient it consumed back to the
// backend (the native backend pools it for the next allocation of that size). These check that
// nothing a user can still reach is handed back, on tensors large enough to be pooled.
describe('gradient buffers handed back for reuse', () => {
  const convNet = (x: Tensor, w1: Tensor, w2: Tensor): Tensor => {
    const h = maxPool2d(relu(conv2d(x, w1, null, { padding: 1 })), 2);
    return relu(conv2d(h, w2, null, { padding: 1 }))
      .square()
      .mean();
  };
  const values = (t: Tensor): number[] => Array.from(t.value.data);
  const inputs = () => {
    manualSeed(3);
    return {
      x: randn([4, 3, 32, 32]),
      w1: randn([8, 3, 3, 3], { requiresGrad: true }),
      w2: randn([8, 8, 3, 3], { requiresGrad: true }),
    };
  };

  // Runs fn with the backend's recycle replaced by a spy that records what is handed back (or,
  // 'off', with none: the engine still releases storages, nothing is pooled), then restores it.
  const withRecycling = <T>(mode: 'spy' | 'off', fn: (handedBack: Float32Array[]) => T): T => {
    const backend = getBackend() as { recycle?: (data: unknown) => void };
    const recycle = backend.recycle;
    const handedBack: Float32Array[] = [];
    if (mode === 'off') delete backend.recycle;
    else
      backend.recycle = (data: unknown) => {
        handedBack.push(data as Float32Array);
        recycle?.(data);
      };
    try {
      return fn(handedBack);
    } finally {
      if (recycle) backend.recycle = recycle;
      else delete backend.recycle;
    }
  };

  it('gives the same gradients as without reuse, step after step', () => {
    const { x, w1, w2 } = inputs();
    const step = () => {
      w1.grad = null;
      w2.grad = null;
      convNet(x, w1, w2).backward();
      return [values(w1.grad!), values(w2.grad!)];
    };
    const unpooled = withRecycling('off', step);
    withRecycling('spy', (handedBack) => {
      for (let k = 0; k < 3; k++) expect(step()).toEqual(unpooled);
      // the gradients of the 8x32x32 and 8x16x16 activations, at least two a step
      expect(handedBack.filter((d) => d.length >= 4 * 8 * 16 * 16).length).toBeGreaterThan(5);
    });
  });

  it('hands back a gradient added into an existing .grad, unless a hook on the leaf saw it', () => {
    const { x, w1, w2 } = inputs();
    const weightSized = (handedBack: Float32Array[]) =>
      handedBack.map((d) => d.length).filter((n) => n === w1.numel() || n === w2.numel());
    // Three passes accumulated into .grad (gradient accumulation), then the values.
    const accumulate = () => {
      w1.grad = null;
      w2.grad = null;
      for (let k = 0; k < 3; k++) convNet(x, w1, w2).backward();
      return [values(w1.grad!), values(w2.grad!)];
    };
    const unpooled = withRecycling('off', accumulate);
    withRecycling('spy', (handedBack) => {
      expect(accumulate()).toEqual(unpooled);
      // the second and third passes' weight gradients were added in, then handed back
      expect(weightSized(handedBack).sort()).toEqual(
        [w1.numel(), w1.numel(), w2.numel(), w2.numel()].sort(),
      );
      // a leaf hook may keep what it saw: nothing of w2's is handed back then
      const seen: Tensor[] = [];
      const handle = w2.registerHook((g) => void seen.push(g));
      handedBack.length = 0;
      const kept = accumulate();
      handle.remove();
      expect(weightSized(handedBack)).toEqual([w1.numel(), w1.numel()]);
      expect(kept).toEqual(unpooled);
      expect(seen.map((g) => g.sum().item())).toHaveLength(3);
    });
  });

  it('hands back a cleared .grad that backward made and nobody read through .grad', () => {
    const { x, w1, w2 } = inputs();
    withRecycling('spy', (handedBack) => {
      convNet(x, w1, w2).backward();
      // borrowGrad() reads without taking: clearing .grad hands its memory back
      const borrowed = w2.borrowGrad()!.value.storage.raw;
      w2.grad = null;
      expect(handedBack).toContain(borrowed);
      // a .grad the caller read may be kept: clearing it hands nothing back, and it stays
      // readable with its values through later passes that reuse memory
      const kept = w1.grad!;
      const keptValues = values(kept);
      handedBack.length = 0;
      w1.grad = null;
      expect(handedBack).not.toContain(kept.value.storage.raw);
      for (let k = 0; k < 2; k++) {
        w1.grad = null;
        w2.grad = null;
        convNet(x, w1, w2).backward();
      }
      expect(values(kept)).toEqual(keptValues);
      // nor is a gradient the caller assigned
      const mine = w2.grad!.clone();
      w2.grad = mine;
      handedBack.length = 0;
      w2.grad = null;
      expect(handedBack).toEqual([]);
      expect(values(mine)).toHaveLength(w2.numel());
    });
  });

  it('keeps what hooks, retainGrad and grad() were given', () => {
    const { x, w1, w2 } = inputs();
    const a = relu(conv2d(x, w1, null, { padding: 1 }));
    a.retainGrad();
    const b = maxPool2d(a, 2);
    const hooked: Tensor[] = [];
    b.registerHook((g) => void hooked.push(g));
    const c = relu(conv2d(b, w2, null, { padding: 1 }));
    // c's node also runs (w2 lies below it), after grad() took c's gradient
    const [gc] = grad([c.square().mean()], [c, w2], { retainGraph: true });
    const gcAtFirst = values(gc!);
    c.square().mean().backward();
    const kept = [values(a.grad!), values(hooked[0]!), values(gc!)];
    // later passes reuse whatever was handed back; what the user holds must not change
    for (let step = 0; step < 2; step++) convNet(x, w1, w2).backward();
    expect([values(a.grad!), values(hooked[0]!), values(gc!)]).toEqual(kept);
    expect(values(gc!)).toEqual(gcAtFirst);
    expect(a.grad!.numel()).toBe(4 * 8 * 32 * 32);
  });
});
