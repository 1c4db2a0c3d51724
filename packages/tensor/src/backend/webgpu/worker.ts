/**
 * The entry point of the device host's worker: a worker_thread in Node (WebGPU from the `webgpu`
 * package, Dawn), a module Web Worker in browsers (WebGPU from `navigator.gpu`).
 */
/// <reference types="@webgpu/types" />
import { serve } from './host.js';
import type * as NodeWorkerThreads from 'node:worker_threads';
import type { FromHost, ToHost } from './protocol.js';

type WorkerThreads = typeof NodeWorkerThreads;

interface NodeWebGpu {
  create(options: string[]): GPU;
  globals: object;
}

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

if (isNode) {
  // A variable specifier keeps bundlers for the browser from resolving node:worker_threads.
  const workerThreads = 'node:worker_threads';
  const { parentPort } = (await import(/* @vite-ignore */ workerThreads)) as WorkerThreads;
  serve(
    {
      post: (m: FromHost) => parentPort!.postMessage(m),
      onMessage: (h: (m: ToHost) => void) => parentPort!.on('message', h),
    },
    async (options) => {
      // A variable specifier: `webgpu` is an optional peer dependency, resolved only here.
      const specifier = 'webgpu';
      let mod: NodeWebGpu;
      try {
        mod = (await import(/* @vite-ignore */ specifier)) as NodeWebGpu;
      } catch (e) {
        throw new Error(
          `the npm package "webgpu" (Dawn for Node) is not installed (${(e as Error).message.split('\n')[0]}); install it with \`pnpm add webgpu\``,
        );
      }
      Object.assign(globalThis, mod.globals);
      return mod.create(options);
    },
  );
} else {
  const scope = globalThis as unknown as {
    postMessage(m: FromHost): void;
    onmessage: ((e: MessageEvent<ToHost>) => void) | null;
    navigator: { gpu?: GPU };
  };
  serve(
    {
      post: (m) => scope.postMessage(m),
      onMessage: (h) => {
        scope.onmessage = (e) => h(e.data);
      },
    },
    async () => {
      const gpu = scope.navigator.gpu;
      if (!gpu)
        throw new Error(
          'navigator.gpu is missing in this worker (no WebGPU in this browser, or not a secure context)',
        );
      return gpu;
    },
  );
}
