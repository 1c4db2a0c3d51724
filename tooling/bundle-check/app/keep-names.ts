/**
 * What a minifier's keepNames could break. Class names: a model's summary a model's summary (`Linear(inFeatures=…)`, as PyTorch prints it)
 * and the built-in losses' checks of their options as they are built, which find their argument
 * tables by class name. And the code gd runs from function source: a product large enough for
 * the wasm backend's thread pool. Run bundled with keepNames (keep-names.test.ts) and in Node as
 * it is, for the expected results.
 */
import { manualSeed, randn } from '@gd/autograd';
import { BatchNorm1d, Linear, MSELoss, Sequential, Tanh } from '@gd/nn';

/** What the names show. */
export interface NamesResult {
  summary: string;
  lossOptionError: string;
}

export function names(): NamesResult {
  const model = new Sequential(new Linear(16, 64), new BatchNorm1d(64), new Tanh());
  let lossOptionError = '';
  try {
    new MSELoss({ reduce: 'sum' } as never);
  } catch (e) {
    lossOptionError = (e as Error).message;
  }
  return { summary: String(model), lossOptionError };
}

/** The sum of a 256x256 by 256x256 product: on the wasm backend, its tasks go to the workers. */
export function threadedProduct(): number {
  manualSeed(1);
  return randn([256, 256])
    .matmul(randn([256, 256]))
    .abs()
    .sum()
    .item();
}
