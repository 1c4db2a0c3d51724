/**
 * Execution providers: which ones onnxruntime-node can load here, the message that says how to
 * install a missing one, and the plan of which to try in which order.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';

/** The providers `--ep` accepts. */
export const EXECUTION_PROVIDERS = ['cpu', 'cuda', 'tensorrt', 'webgpu'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

/**
 * Parses `--ep` (comma-separated, ordered). Throws naming an unknown provider.
 *
 * @example
 * ```ts
 * parseEpList('cuda,cpu'); // ['cuda', 'cpu']
 * ```
 */
export function parseEpList(value: string): ExecutionProvider[] {
  const list = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  if (list.length === 0)
    throw new Error('--ep: expected one or more of cpu, cuda, tensorrt, webgpu');
  for (const ep of list) {
    if (!(EXECUTION_PROVIDERS as readonly string[]).includes(ep)) {
      throw new Error(
        `--ep: unknown execution provider ${JSON.stringify(ep)}; expected cpu, cuda, tensorrt or webgpu`,
      );
    }
  }
  return [...new Set(list)] as ExecutionProvider[];
}

/** The directory holding onnxruntime-node's native binding and any provider libraries. */
export function ortBinaryDir(): string {
  const req = createRequire(import.meta.url);
  const pkg = dirname(req.resolve('onnxruntime-node/package.json'));
  return join(pkg, 'bin', 'napi-v6', platform(), arch());
}

/** The shared libraries a provider needs next to the binding (none for cpu and webgpu). */
const PROVIDER_LIBS: Record<ExecutionProvider, string[]> = {
  cpu: [],
  webgpu: [],
  cuda: ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'],
  tensorrt: [
    'libonnxruntime_providers_shared.so',
    'libonnxruntime_providers_cuda.so',
    'libonnxruntime_providers_tensorrt.so',
  ],
};

/**
 * Why a provider cannot be used here, or undefined when its files are present. CUDA and
 * TensorRT come as separate libraries that onnxruntime-node's install script downloads; this
 * workspace skips that script, so they are absent unless installed on purpose.
 *
 * @example
 * ```ts
 * const why = providerMissing('cuda');
 * if (why) console.error(why); // '… onnxruntime-node was installed without its CUDA provider …'
 * ```
 */
export function providerMissing(
  ep: ExecutionProvider,
  binDir = ortBinaryDir(),
): string | undefined {
  if (ep === 'cpu') return undefined;
  if (ep === 'webgpu') {
    if (platform() === 'linux' && arch() === 'arm64') {
      return 'webgpu: onnxruntime-node has no WebGPU provider for linux/arm64';
    }
    return undefined;
  }
  if (platform() !== 'linux' || arch() !== 'x64') {
    return `${ep}: onnxruntime-node ships CUDA and TensorRT providers for linux/x64 only (this is ${platform()}/${arch()})`;
  }
  const missing = PROVIDER_LIBS[ep].filter((f) => !existsSync(join(binDir, f)));
  if (missing.length === 0) return undefined;
  return installMessage(ep, binDir, missing);
}

/** How to install the CUDA (and TensorRT) provider libraries of onnxruntime-node. */
export function installMessage(ep: ExecutionProvider, binDir: string, missing: string[]): string {
  const pkgDir = join(binDir, '..', '..', '..', '..');
  return [
    `${ep}: the ${ep === 'tensorrt' ? 'TensorRT' : 'CUDA'} execution provider is not installed: ${missing.join(', ')} missing from ${binDir}.`,
    `onnxruntime-node bundles only its CPU (and WebGPU) binaries; its CUDA 12 provider libraries are downloaded by its install script, which this workspace skips (pnpm-workspace.yaml: allowBuilds onnxruntime-node: false).`,
    `To install them (needs network access to api.nuget.org, then CUDA 12 and cuDNN 9 on the library path${ep === 'tensorrt' ? ', and TensorRT 10' : ''}):`,
    `  ONNXRUNTIME_NODE_INSTALL=cuda12 node ${join(pkgDir, 'script', 'install.js')}`,
    `  (same as installing with the flag --onnxruntime-node-install=cuda12, or the older --onnxruntime-node-install-cuda / ONNXRUNTIME_NODE_INSTALL_CUDA=v12)`,
    `Or start with --allow-fallback to use the next provider of --ep (and cpu last).`,
  ].join('\n');
}

/** The session providers onnxruntime gets for one `--ep` choice (nodes a GPU EP lacks go to CPU). */
export function sessionProviders(ep: ExecutionProvider): string[] {
  switch (ep) {
    case 'cpu':
      return ['cpu'];
    case 'cuda':
      return ['cuda', 'cpu'];
    case 'tensorrt':
      return ['tensorrt', 'cuda', 'cpu'];
    case 'webgpu':
      return ['webgpu', 'cpu'];
  }
}

/**
 * The providers to try, in order: the `--ep` list, then cpu last when fallback is allowed.
 * Without `--allow-fallback` only the first is tried.
 */
export function providerPlan(
  eps: readonly ExecutionProvider[],
  allowFallback: boolean,
): ExecutionProvider[] {
  if (!allowFallback) return eps.slice(0, 1);
  return eps.includes('cpu') ? [...eps] : [...eps, 'cpu'];
}
