import { describe, expect, it } from 'vitest';
import type { Tensor } from '@gd/autograd';
import { Generator, arange, fromTypedArray, manualSeed, stack, tensor } from '@gd/autograd';
import type { Image } from './index.js';
import {
  Compose,
  Lambda,
  Normalize,
  RandomAffine,
  RandomCrop,
  ToTensor,
  flattenTransforms,
} from './index.js';

function image(
  h: number,
  w: number,
  c: number,
  fn: (y: number, x: number, k: number) => number,
): Image {
  const data = new Uint8Array(h * w * c);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) data[(y * w + x) * c + k] = fn(y, x, k);
  return { data, height: h, width: w, channels: c };
}

function values(t: Tensor): number[] {
  return Array.from(t.value.data);
}

/** A [1, h, w] float32 tensor with distinct values 1..h*w. */
function grid(h: number, w: number): Tensor {
  return arange(1, h * w + 1, 1, { dtype: 'float32' }).reshape([1, h, w]);
}

describe('ToTensor', () => {
  it('turns HW and HWC uint8 images into float32 CHW in [0, 1]', () => {
    const gray = image(2, 3, 1, (y, x) => y * 3 + x);
    const t = new ToTensor().apply(gray);
    expect(t.shape).toEqual([1, 2, 3]);
    expect(t.dtype).toBe('float32');
    expect(values(t)).toEqual([0, 1, 2, 3, 4, 5].map((v) => Math.fround(v / 255)));
    const rgb = image(2, 2, 3, (y, x, k) => 100 * k + y * 2 + x);
    const c = new ToTensor().apply(rgb);
    expect(c.shape).toEqual([3, 2, 2]);
    expect(values(c).map((v) => Math.round(v * 255))).toEqual([
      0, 1, 2, 3, 100, 101, 102, 103, 200, 201, 202, 203,
    ]);
    expect(() => new ToTensor().apply(tensor([1]) as never)).toThrow(
      /ToTensor: expected an Image .*got Tensor of shape \[1\]/,
    );
  });

  it('is PyTorch-exact, alone and followed by Normalize', () => {
    // torch.arange(256, dtype=torch.uint8).float().div(255).sub(0.1307).div(0.3081)
    const all = image(16, 16, 1, (y, x) => y * 16 + x);
    const t = new ToTensor().apply(all);
    const n = new Normalize([0.1307], [0.3081]).apply(t);
    const golden: [number, number][] = [
      [0, -0.4242129623889923],
      [1, -0.4114847183227539],
      [2, -0.3987565040588379],
      [127, 1.192272663116455],
      [128, 1.2050011157989502],
      [200, 2.121433973312378],
      [253, 2.796030282974243],
      [254, 2.808758497238159],
      [255, 2.821486711502075],
    ];
    const nv = values(n);
    for (const [v, g] of golden) expect(nv[v]).toBe(Math.fround(g));
    expect(values(t).reduce((a, b) => a + b, 0)).toBeCloseTo(128.0000025429763, 10);
    expect(nv.reduce((a, b) => a + b, 0)).toBeCloseTo(306.85104441223666, 9);
    // applyBatch divides a raw-valued batch by 255
    const raw = fromTypedArray(
      Float32Array.from({ length: 256 }, (_, i) => i),
      [1, 1, 16, 16],
    );
    expect(values(new ToTensor().applyBatch(raw))).toEqual(values(t));
  });
});

describe('Normalize', () => {
  it('normalizes each channel, on one image and on a batch (PyTorch values)', () => {
    const x = arange(24, { dtype: 'float32' }).reshape([2, 3, 2, 2]).div(7);
    const norm = new Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);
    const golden = [
      -2.1179039478302, -1.494073748588562, -0.8702433109283447, -0.24641302227973938,
      0.5153062343597412, 1.1530612707138062, 1.790816307067871, 2.4285714626312256,
      3.27492094039917, 3.909841299057007, 4.544762134552002, 5.17968225479126, 5.3680596351623535,
      5.991889953613281, 6.615720272064209, 7.239550590515137, 8.168367385864258, 8.806122779846191,
      9.443876266479492, 10.081631660461426, 10.893969535827637, 11.528889656066895,
      12.163809776306152, 12.798731803894043,
    ];
    const batch = norm.applyBatch(x);
    expect(batch.shape).toEqual([2, 3, 2, 2]);
    values(batch).forEach((v, i) => expect(v).toBe(Math.fround(golden[i]!)));
    expect(values(norm.apply(x.select(0, 1)))).toEqual(values(batch).slice(12));
    // apply on a 4-d tensor treats the leading dim as a batch, as torchvision does
    expect(values(norm.apply(x))).toEqual(values(batch));
  });

  it('computes float64 inputs in float64', () => {
    const x = tensor([[[0.5]]], { dtype: 'float64' });
    expect(new Normalize([0.1], [0.3]).apply(x).item()).toBe((0.5 - 0.1) / 0.3);
  });

  it('checks its arguments', () => {
    expect(() => new Normalize([0.5], [0])).toThrow(/std evaluated to zero/);
    expect(() => new Normalize([], [1])).toThrow(/mean must be a non-empty array/);
    expect(() => new Normalize([0.5, 0.5], [1, 1, 1])).toThrow(/mean has 2 entries but std has 3/);
    const norm = new Normalize([0.1, 0.2], [1, 1]);
    expect(() => norm.apply(grid(2, 2))).toThrow(/mean has 2 entries but the image has 1 channels/);
    expect(() => norm.apply(tensor([1, 2]))).toThrow(
      /expected a tensor image of size \(\.\.\., C, H, W\)/,
    );
    expect(() => norm.apply(tensor([[[1]]], { dtype: 'int32' }))).toThrow(
      /should be a float tensor, got int32/,
    );
    expect(() => norm.applyBatch(grid(2, 2))).toThrow(
      /Normalize.applyBatch: expected a batch \[B, C, H, W\]/,
    );
  });
});

describe('Compose and Lambda', () => {
  it('chain transforms, with applyBatch only when every part has one', () => {
    const pipeline = new Compose([new ToTensor(), new Normalize([0.5], [0.5])]);
    const img = image(1, 2, 1, (_, x) => x * 255);
    expect(values(pipeline.apply(img))).toEqual([-1, 1]);
    expect(pipeline.applyBatch).toBeDefined(); // both parts have one (ToTensor's scales raw batches)
    const twice = new Lambda(
      (x: Tensor) => x.mul(2),
      (b: Tensor) => b.mul(2),
    );
    const batched = new Compose([twice, new Normalize([0], [1])]);
    expect(batched.applyBatch).toBeDefined();
    expect(values(batched.applyBatch!(grid(2, 2).unsqueeze(0)))).toEqual([2, 4, 6, 8]);
    const plain = new Compose([new Lambda((x: Tensor) => x.add(1))]);
    expect(plain.applyBatch).toBeUndefined();
    expect(values(plain.apply(grid(1, 2)))).toEqual([2, 3]);
    const nested = new Compose([new ToTensor(), new Compose([plain, twice])]);
    expect(flattenTransforms(nested).length).toBe(3);
    expect(() => new Compose([{} as never])).toThrow(
      /transform at index 0 has no apply\(x\) method/,
    );
    expect(String(pipeline)).toContain('Normalize(mean=[0.5], std=[0.5])');
  });
});

describe('RandomCrop', () => {
  it('draws the top then the left with randint, as torchvision, and crops the padded image', () => {
    // torch.manual_seed(0); [torch.randint(0, 5, (1,)).item() for _ in range(4)] -> [4, 4, 3, 0]
    const crop = new RandomCrop(4, { padding: 2 });
    const x = grid(4, 4);
    manualSeed(0);
    const out = crop.apply(x);
    // top = 4, left = 4 in the 8x8 padded image: rows/cols 2..3 of the input at the top-left
    expect(out.shape).toEqual([1, 4, 4]);
    expect(out.toArray()).toEqual([
      [
        [11, 12, 0, 0],
        [15, 16, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ],
    ]);
    const next = crop.apply(x); // top = 3, left = 0
    expect(next.toArray()).toEqual([
      [
        [0, 0, 5, 6],
        [0, 0, 9, 10],
        [0, 0, 13, 14],
        [0, 0, 0, 0],
      ],
    ]);
  });

  it('applyBatch draws per sample in order, equal to apply one by one', () => {
    const crop = new RandomCrop(3, { padding: [1, 2], fill: -1, generator: new Generator(5) });
    const batch = stack([grid(3, 3), grid(3, 3).mul(10), grid(3, 3).neg()]);
    const out = crop.applyBatch(batch);
    expect(out.shape).toEqual([3, 1, 3, 3]);
    const again = new RandomCrop(3, { padding: [1, 2], fill: -1, generator: new Generator(5) });
    const rows = [0, 1, 2].map((i) => again.apply(batch.select(0, i)));
    expect(values(out)).toEqual(values(stack(rows)));
  });

  it('crops Images too, keeps the input when no padding is needed, and checks sizes', () => {
    const img = image(3, 3, 2, (y, x, k) => 10 * y + x + 100 * k);
    const g = new Generator(1);
    const out = new RandomCrop([2, 3], { generator: g }).apply(img);
    expect([out.height, out.width, out.channels]).toEqual([2, 3, 2]);
    const state = g.getState();
    const same = new RandomCrop(3, { generator: g }).apply(img);
    expect(Array.from(same.data)).toEqual(Array.from(img.data));
    expect(g.getState()).toEqual(state); // nothing drawn
    expect(() => new RandomCrop(5).apply(grid(3, 3))).toThrow(
      /required crop size \(5, 5\) is larger than the padded input image size \(3, 3\)/,
    );
    expect(() => new RandomCrop(0)).toThrow(/size must be positive integers/);
    expect(() => new RandomCrop(3, { padding: [1, 2, 3] as never })).toThrow(/padding must be/);
  });

  it('is deterministic for a seed', () => {
    const crop = new RandomCrop(28, { padding: 2 });
    const x = arange(784, { dtype: 'float32' }).reshape([1, 28, 28]);
    manualSeed(9);
    const a = values(crop.apply(x));
    manualSeed(9);
    expect(values(crop.apply(x))).toEqual(a);
  });
});

describe('RandomAffine', () => {
  it("draws angle, then translation, then scale as torchvision's get_params", () => {
    // torch.manual_seed(0): angle U(-10, 10), tx = round(U(-2.8, 2.8)), ty likewise
    const aff = new RandomAffine({ degrees: 10, translate: [0.1, 0.1] });
    manualSeed(0);
    const p1 = aff.getParams(28, 28);
    const p2 = aff.getParams(28, 28);
    expect(p1).toEqual({ angle: Math.fround(-0.07486820220947266), translate: [2, -2], scale: 1 });
    expect(p2).toEqual({ angle: Math.fround(-7.3593902587890625), translate: [-1, 1], scale: 1 });
    const scaled = new RandomAffine({
      degrees: [30, 30],
      scale: [0.9, 1.1],
      generator: new Generator(0),
    });
    expect(scaled.getParams(28, 28)).toEqual({
      angle: 30,
      translate: [0, 0],
      scale: Math.fround(1.0536444187164307),
    });
  });

  it('is the identity for zero angle and shift, and shifts by whole pixels with zero fill', () => {
    const x = grid(3, 4);
    expect(values(new RandomAffine({ degrees: 0 }).apply(x))).toEqual(values(x));
    // translate [0.5, 0] on width 4: tx = round(U(-2, 2)); check against a manual shift
    const aff = new RandomAffine({ degrees: 0, translate: [0.5, 0], generator: new Generator(3) });
    const { translate } = new RandomAffine({
      degrees: 0,
      translate: [0.5, 0],
      generator: new Generator(3),
    }).getParams(3, 4);
    const out = aff.apply(x).toArray() as number[][][];
    const [tx] = translate;
    const src = x.toArray() as number[][][];
    for (let r = 0; r < 3; r++)
      for (let c = 0; c < 4; c++) {
        const sc = c - tx;
        expect(out[0]![r]![c]).toBe(sc >= 0 && sc < 4 ? src[0]![r]![sc]! : 0);
      }
  });

  it("rotates clockwise on screen about the centre (torchvision's F.affine convention)", () => {
    const x = tensor([
      [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ],
    ]);
    const rot = new RandomAffine({ degrees: [90, 90] }).apply(x);
    expect(rot.toArray()).toEqual([
      [
        [7, 4, 1],
        [8, 5, 2],
        [9, 6, 3],
      ],
    ]);
    expect(new RandomAffine({ degrees: [-90, -90] }).apply(x).toArray()).toEqual([
      [
        [3, 6, 9],
        [2, 5, 8],
        [1, 4, 7],
      ],
    ]);
    const bil = new RandomAffine({ degrees: [90, 90], interpolation: 'bilinear' }).apply(x);
    values(bil).forEach((v, i) => expect(v).toBeCloseTo(values(rot)[i]!, 5));
    const img = image(3, 3, 1, (y, x2) => 1 + y * 3 + x2);
    expect(Array.from(new RandomAffine({ degrees: [90, 90] }).apply(img).data)).toEqual(
      values(rot),
    );
  });

  it('applyBatch draws per sample and equals apply one by one', () => {
    const batch = stack([grid(5, 5), grid(5, 5).mul(2), grid(5, 5).mul(3)]);
    const mk = (): RandomAffine =>
      new RandomAffine({
        degrees: 20,
        translate: [0.2, 0.2],
        scale: [0.8, 1.2],
        generator: new Generator(8),
      });
    const a = mk().applyBatch(batch);
    const b = mk();
    expect(values(a)).toEqual(values(stack([0, 1, 2].map((i) => b.apply(batch.select(0, i))))));
  });

  it('checks its options', () => {
    expect(() => new RandomAffine({} as never)).toThrow(/options.degrees is required/);
    expect(() => new RandomAffine({ degrees: -1 })).toThrow(/must be non-negative/);
    expect(() => new RandomAffine({ degrees: 0, translate: [2, 0] })).toThrow(
      /translate values should be between 0 and 1/,
    );
    expect(() => new RandomAffine({ degrees: 0, scale: [0, 1] })).toThrow(
      /scale \[0, 1\] must be positive/,
    );
    expect(() => new RandomAffine({ degrees: 0, interpolation: 'cubic' as never })).toThrow(
      /interpolation must be/,
    );
  });
});
