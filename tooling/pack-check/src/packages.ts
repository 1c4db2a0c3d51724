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
];
