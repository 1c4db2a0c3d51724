/**
 * The tiny app's work: a two-layer MLP fitted to a noisy linear target with Adam, large enough
 * that matmuls and elementwise ops take the wasm backend's kernels (not its small-tensor
 * fallback). The same function runs in the page and, for the expected numbers, in Node.
 */
import { getBackend, wasmThreads } from '@gd/tensor';
import { manualSeed, noGrad, randn } from '@gd/autograd';
import { Linear, MSELoss, Sequential, Tanh } from '@gd/nn';
import { Adam } from '@gd/optim';

/** What the app reports. */
export interface TrainResult {
  backend: string;
  threads: number;
  losses: number[];
}

export async function train(steps: number): Promise<TrainResult> {
  manualSeed(0);
  const X = randn([512, 16]);
  const y = noGrad(() => X.matmul(randn([16, 1])).add(randn([512, 1]).mul(0.1)));
  const model = new Sequential(new Linear(16, 64), new Tanh(), new Linear(64, 1));
  const optimizer = new Adam(model.parameters(), { lr: 0.01 });
  const criterion = new MSELoss();
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    optimizer.zeroGrad();
    const loss = criterion.call(model.call(X), y);
    loss.backward();
    optimizer.step();
    losses.push(await loss.itemAsync());
  }
  return { backend: getBackend().name, threads: wasmThreads(), losses };
}

/** Trains, then shows the result on the page and hands it to the test. */
export async function runOnPage(ready: Promise<unknown>): Promise<void> {
  const g = globalThis as { gdResult?: TrainResult; gdError?: string };
  try {
    await ready;
    const result = await train(20);
    document.body.textContent = `loss ${result.losses[0]!.toFixed(4)} -> ${result.losses.at(-1)!.toFixed(4)} on ${result.backend}`;
    g.gdResult = result;
  } catch (e) {
    g.gdError = String((e as Error).stack ?? e);
  }
}
