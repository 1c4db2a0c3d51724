/**
 * The main job until the training app exists: the lecture's least-squares problem solved with
 * @gd/tensor alone, using the gradient derived by hand (X^T(Xw - y)/n), then written to
 * `outputs/tensor-demo/result.json`.
 *
 * Run: `pnpm main` (or `node apps/examples/dist/tensor-demo.js [outDir]`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { manualSeed, randn, tensor, zeros } from '@gd/tensor';
import type { NDArray } from '@gd/tensor';

/** Result of {@link leastSquaresDemo}. */
export interface DemoResult {
  wTrue: number[];
  wFitted: number[];
  initialLoss: number;
  finalLoss: number;
  steps: number;
}

const loss = (X: NDArray, y: NDArray, w: NDArray): number =>
  X.matmul(w).sub(y).square().mean().mul(0.5).item();

/**
 * Fits w in min_w ½·mean((Xw - y)²) by gradient descent with the hand-derived gradient.
 *
 * @example
 * ```ts
 * const r = leastSquaresDemo(200);
 * console.log(r.wFitted); // close to [1, -0.5, 0.25]
 * ```
 */
export function leastSquaresDemo(steps = 200, lr = 0.5): DemoResult {
  manualSeed(42);
  const nSamples = 1000;
  const X = randn([nSamples, 3]);
  const wTrue = tensor([1.0, -0.5, 0.25]);
  const y = X.matmul(wTrue).add(randn([nSamples]).mul(0.1));
  const w = zeros(3);
  const initialLoss = loss(X, y, w);
  for (let step = 0; step < steps; step++) {
    const grad = X.T.matmul(X.matmul(w).sub(y)).div(nSamples);
    w.sub_(grad, lr);
  }
  return {
    wTrue: wTrue.toArray() as number[],
    wFitted: w.toArray() as number[],
    initialLoss,
    finalLoss: loss(X, y, w),
    steps,
  };
}

function main(): void {
  const outDir = resolve(process.argv[2] ?? 'outputs/tensor-demo');
  const result = leastSquaresDemo();
  console.log('Least squares with @gd/tensor (hand-derived gradient X^T(Xw - y)/n)');
  console.log(`  true w:   [${result.wTrue.map((v) => v.toFixed(4)).join(', ')}]`);
  console.log(`  fitted w: [${result.wFitted.map((v) => v.toFixed(4)).join(', ')}]`);
  console.log(
    `  loss:     ${result.initialLoss.toFixed(4)} -> ${result.finalLoss.toFixed(4)} in ${result.steps} steps`,
  );
  mkdirSync(outDir, { recursive: true });
  const file = resolve(outDir, 'result.json');
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  console.log(`\nOutputs: ${file}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname))
  main();
