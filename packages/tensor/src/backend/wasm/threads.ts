/**
 * Threads for the WebAssembly backend: Web Workers in browsers, worker_threads in Node, each
 * with its own instance of the kernel module over the one shared memory, running the tasks of
 * gemm-task.ts. The backend imports this module only when it can start threads (a
 * cross-origin-isolated page, or Node), so other pages do not load it.
 */
import type * as NodeOs from 'node:os';
import type { GemmFn } from './gemm-task.js';
import {
  ARG_WORDS,
  CTL_DONE,
  CTL_GEN,
  CTL_TASKS,
  CTL_TICKET,
  CTL_WORDS,
  claimTasks,
  runGemmTask,
} from './gemm-task.js';

type Proc = { versions?: { node?: string }; env?: Record<string, string | undefined> };
const proc = (globalThis as { process?: Proc }).process;
const isNode = !!proc?.versions?.node;

interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  ctl: SharedArrayBuffer;
  args: SharedArrayBuffer;
  slot: number;
}

// The body of every worker: instantiate, then wait for jobs forever. The task functions come
// as arguments: in a bundle they may live in another chunk under other (minified) names, so
// the worker source passes their own text rather than relying on the names it was given here.
function workerMain(init: WorkerInit, claim: typeof claimTasks, runTask: typeof runGemmTask): void {
  const inst = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
  const gemm = inst.exports.gemm as GemmFn;
  const C = new Int32Array(init.ctl);
  const A = new Float64Array(init.args);
  let seen = 0;
  for (;;) {
    // Spin briefly (the kernels of a training step come close together), then sleep.
    for (let i = 0; i < 20000 && Atomics.load(C, 0) === seen; i++);
    Atomics.wait(C, 0, seen);
    seen = Atomics.load(C, 0);
    claim(C, seen, (t: number) => runTask(gemm, A, t, init.slot));
  }
}

// workerMain is called through its source text, not its name: a minifier renames it, and a
// bundler's keepNames gives `.name` back the original while the text keeps the minified one.
const TASKS = `(${claimTasks.toString()}), (${runGemmTask.toString()})`;
const WORKER_SOURCE = `
const main = (${workerMain.toString()});
if (typeof require === 'function') {
  main(require('node:worker_threads').workerData, ${TASKS});
} else {
  self.onmessage = (e) => main(e.data, ${TASKS});
}
`;

interface NodeWorkerThreads {
  Worker: new (
    src: string,
    options: { eval: boolean; workerData: unknown },
  ) => { unref(): void; on(event: string, fn: (e: unknown) => void): void };
}

/** A pool of kernel workers over one shared memory. */
export class WasmThreads {
  readonly ctl = new Int32Array(new SharedArrayBuffer(CTL_WORDS * 4));
  readonly args = new Float64Array(new SharedArrayBuffer(ARG_WORDS * 8));
  private started = false;
  private gen = 0;

  constructor(
    /** Threads in all, the caller included. */
    readonly threads: number,
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    private readonly workerThreads: NodeWorkerThreads | null,
  ) {}

  private start(): void {
    this.started = true;
    for (let slot = 1; slot < this.threads; slot++) {
      const init: WorkerInit = {
        module: this.module,
        memory: this.memory,
        ctl: this.ctl.buffer as SharedArrayBuffer,
        args: this.args.buffer as SharedArrayBuffer,
        slot,
      };
      try {
        if (this.workerThreads) {
          const w = new this.workerThreads.Worker(WORKER_SOURCE, { eval: true, workerData: init });
          w.on('error', () => {});
          w.unref();
        } else {
          const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
          new Worker(url).postMessage(init);
        }
      } catch {
        // No workers here (a sandbox, a CSP): the calling thread runs every task.
        return;
      }
    }
  }

  /** Runs the GEMM job whose arguments are in `args` as `tasks` tasks. */
  run(tasks: number, gemm: GemmFn): void {
    if (!this.started) this.start();
    const C = this.ctl;
    this.gen = (this.gen + 1) & 0x7ff || 1;
    const gen = this.gen;
    Atomics.store(C, CTL_DONE, 0);
    Atomics.store(C, CTL_TASKS, tasks);
    Atomics.store(C, CTL_TICKET, gen << 20);
    Atomics.store(C, CTL_GEN, gen);
    Atomics.notify(C, CTL_GEN);
    const A = this.args;
    claimTasks(C, gen, (t) => runGemmTask(gemm, A, t, 0));
    // Tasks still running on workers: spin (a browser's main thread cannot block).
    while (Atomics.load(C, CTL_DONE) < tasks);
  }
}

// The number of threads for the GEMM: GD_NUM_THREADS, else the cores, at most 16.
async function threadCount(): Promise<number> {
  const wanted = Number(proc?.env?.GD_NUM_THREADS);
  let cores: number;
  if (isNode) {
    const specifier = 'node:os';
    const os = (await import(/* @vite-ignore */ specifier)) as typeof NodeOs;
    cores = os.availableParallelism?.() ?? os.cpus().length;
  } else {
    cores =
      (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
        ?.hardwareConcurrency ?? 1;
  }
  return Math.max(1, Math.min(wanted > 0 ? wanted : cores, 16));
}

/**
 * A pool over `memory` (a shared one) for the kernels of `module`, with the threads that
 * {@link threadCount} says; null when that is one.
 */
export async function startThreads(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
): Promise<WasmThreads | null> {
  const threads = await threadCount();
  if (threads === 1) return null;
  let workerThreads: NodeWorkerThreads | null = null;
  if (isNode) {
    const specifier = 'node:worker_threads';
    workerThreads = (await import(/* @vite-ignore */ specifier)) as NodeWorkerThreads;
  }
  return new WasmThreads(threads, module, memory, workerThreads);
}
