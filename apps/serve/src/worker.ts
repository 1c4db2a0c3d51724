/**
 * A session worker thread of the pool: hosts onnxruntime-node sessions (their `run()` blocks in
 * native code, so it never runs on the server's event loop). The pool tells it which models to
 * load and unload and sends it batches; tensors cross the thread boundary as transferred buffers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SessionHost } from './sessions.js';
import type { WorkerConfig, WorkerReply, WorkerTask } from './sessions.js';

const port = parentPort;
if (!port) throw new Error('worker.js runs as a worker thread of the gd-serve pool');
const host = new SessionHost(workerData as WorkerConfig);

port.on('message', (task: WorkerTask) => {
  const answer = async (): Promise<{ value: unknown; transfer: ArrayBuffer[] }> => {
    switch (task.op) {
      case 'infer': {
        const result = await host.infer(task.key, task.inputs, true);
        return { value: result, transfer: result.outputs.map((o) => o.data.buffer as ArrayBuffer) };
      }
      case 'load':
        return { value: await host.load(task.key, task.file), transfer: [] };
      case 'unload':
        await host.unload(task.key);
        return { value: true, transfer: [] };
      default: {
        // Fail closed: an operation this worker does not know is an error, never a guess.
        const unknown: never = task;
        throw new Error(`unknown worker task ${JSON.stringify(unknown)}`);
      }
    }
  };
  answer().then(
    ({ value, transfer }) =>
      port.postMessage({ id: task.id, ok: true, value } satisfies WorkerReply, transfer),
    (e: unknown) =>
      port.postMessage({
        id: task.id,
        ok: false,
        error: (e as Error).message ?? String(e),
      } satisfies WorkerReply),
  );
});
