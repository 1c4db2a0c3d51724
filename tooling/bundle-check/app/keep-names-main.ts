// A Node script bundled with esbuild's minify and keepNames (keep-names.test.ts): it trains the
// tiny app's model on the backend named by its argument and prints what the names show. A worker
// of the wasm backend's thread pool that fails to start would leave the caller to run every task
// unseen, so the script wraps worker_threads' Worker to report their errors.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { initWasm, setBackend } from '@gd/tensor';
import { wasm } from '@gd/tensor/wasm-inline';
import { names, threadedProduct } from './keep-names.js';
import { train } from './train.js';

type WorkerClass = new (...args: never[]) => { on(event: 'error', fn: (e: Error) => void): void };
const workerThreads = createRequire(import.meta.url)('node:worker_threads') as {
  Worker: WorkerClass;
};
const workerErrors: string[] = [];
const NodeWorker = workerThreads.Worker;
workerThreads.Worker = class extends NodeWorker {
  constructor(...args: never[]) {
    super(...args);
    this.on('error', (e) => workerErrors.push(e.message));
  }
};
syncBuiltinESMExports();

const backend = process.argv[2]!;
if (backend === 'wasm') await initWasm({ wasm });
else setBackend(backend);
const result = { ...(await train(5)), ...names(), product: threadedProduct() };
// Long enough for the workers to have started, or failed.
await new Promise((resolve) => setTimeout(resolve, 200));
console.log(JSON.stringify({ ...result, workerErrors }));
process.exit(0);
