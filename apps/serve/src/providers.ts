/**
 * Execution providers: which ones onnxruntime-node can load here, the message that says how to
 * install a missing one, and the plan of which to try in which order.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, homedir, platform } from 'node:os';
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

/** onnxruntime's provider names (as its profiles name them) to `--ep` names. */
const ORT_PROVIDER_NAMES: Record<string, string> = {
  CPUExecutionProvider: 'cpu',
  CUDAExecutionProvider: 'cuda',
  TensorrtExecutionProvider: 'tensorrt',
  WebGpuExecutionProvider: 'webgpu',
};

/**
 * Counts the nodes each provider ran in an onnxruntime profile (the JSON array its
 * `enableProfiling` writes): what a session really used, whatever it was asked for.
 *
 * @example
 * ```ts
 * nodePlacement([{ cat: 'Node', name: 'fc1_kernel_time', args: { provider: 'WebGpuExecutionProvider' } }]);
 * // { webgpu: 1 }
 * ```
 */
export function nodePlacement(profile: unknown): Record<string, number> {
  if (!Array.isArray(profile)) throw new Error('an onnxruntime profile is a JSON array of events');
  const counts: Record<string, number> = {};
  for (const e of profile as { cat?: unknown; name?: unknown; args?: { provider?: unknown } }[]) {
    const provider = e?.args?.provider;
    if (e?.cat !== 'Node' || typeof provider !== 'string') continue;
    // Each node logs a few events (fence, kernel time); its kernel time is the one per run.
    if (typeof e.name !== 'string' || !e.name.endsWith('_kernel_time')) continue;
    const ep = ORT_PROVIDER_NAMES[provider] ?? provider;
    counts[ep] = (counts[ep] ?? 0) + 1;
  }
  return counts;
}

/**
 * `{ webgpu: 3, cpu: 1 }` as `webgpu:3,cpu:1` (largest first); `unknown` when no profile was
 * read (no writable temp directory).
 */
export function placementText(nodes: Record<string, number> | undefined): string {
  if (!nodes) return 'unknown';
  return Object.entries(nodes)
    .sort((a, b) => b[1] - a[1])
    .map(([ep, n]) => `${ep}:${n}`)
    .join(',');
}

/** The multiarch library directory names the dynamic linker searches on Linux. */
function linuxLibDirs(): string[] {
  const triplet = arch() === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';
  return [
    `/lib/${triplet}`,
    `/usr/lib/${triplet}`,
    '/lib64',
    '/usr/lib64',
    '/lib',
    '/usr/lib',
    '/usr/local/lib',
  ];
}

const splitPath = (v: string | undefined) => (v ?? '').split(':').filter((s) => s !== '');

/** Where the Vulkan loader looks for driver manifests (ICD files) when no variable names them. */
export function vulkanIcdDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const configDirs = splitPath(env.XDG_CONFIG_DIRS);
  const dataDirs = splitPath(env.XDG_DATA_DIRS);
  return [
    ...(configDirs.length ? configDirs : ['/etc/xdg']).map((d) => join(d, 'vulkan', 'icd.d')),
    '/etc/vulkan/icd.d',
    join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'vulkan', 'icd.d'),
    ...(dataDirs.length ? dataDirs : ['/usr/local/share', '/usr/share']).map((d) =>
      join(d, 'vulkan', 'icd.d'),
    ),
  ];
}

function jsonFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** What the Vulkan loader would find here: the loader library and the driver manifests. */
export interface VulkanSurvey {
  /** Where libvulkan.so.1 was found, or undefined. */
  loader: string | undefined;
  /** The directories searched for it. */
  loaderDirs: string[];
  /** The variable naming the drivers, if one is set (VK_DRIVER_FILES or VK_ICD_FILENAMES). */
  icdVariable: string | undefined;
  /** Driver manifests named or found, with whether each exists. */
  icds: { file: string; exists: boolean }[];
  /** The directories searched for manifests when no variable names them. */
  icdDirs: string[];
}

/**
 * Looks for what a Vulkan adapter needs on Linux, as the loader would (a summary, for
 * messages and the GPU check script; the loader itself decides).
 *
 * @example
 * ```ts
 * const v = surveyVulkan();
 * if (!v.loader) console.log('install libvulkan1');
 * ```
 */
export function surveyVulkan(env: NodeJS.ProcessEnv = process.env): VulkanSurvey {
  const loaderDirs = [...splitPath(env.LD_LIBRARY_PATH), ...linuxLibDirs()];
  const loader = loaderDirs.map((d) => join(d, 'libvulkan.so.1')).find((f) => existsSync(f));
  const icdVariable = ['VK_DRIVER_FILES', 'VK_ICD_FILENAMES'].find((v) => env[v]);
  const icdDirs = icdVariable ? [] : vulkanIcdDirs(env);
  const named = icdVariable ? splitPath(env[icdVariable]) : [];
  const icds = icdVariable
    ? named.flatMap((f) => {
        const isDir = existsSync(f) && statSync(f).isDirectory();
        return isDir
          ? jsonFilesIn(f).map((file) => ({ file, exists: true }))
          : [{ file: f, exists: existsSync(f) }];
      })
    : icdDirs.flatMap((d) => jsonFilesIn(d).map((file) => ({ file, exists: true })));
  return { loader, loaderDirs, icdVariable, icds, icdDirs };
}

/**
 * What onnxruntime's WebGPU provider (Dawn) looked for when it found no adapter, and how to
 * give it one: the text an explicit `--ep webgpu` fails with.
 */
export function webgpuNoAdapterHelp(env: NodeJS.ProcessEnv = process.env): string {
  const os = platform();
  if (os === 'darwin')
    return 'webgpu: looked for a Metal adapter (macOS 13 or later on a Mac with a Metal GPU).';
  if (os === 'win32')
    return 'webgpu: looked for a Direct3D 12 adapter (a GPU driver with D3D12 support).';
  const v = surveyVulkan(env);
  const lines = [
    'webgpu: looked for a Vulkan adapter (Dawn, inside onnxruntime-node, finds GPUs through Vulkan on Linux):',
    v.loader
      ? `  the Vulkan loader libvulkan.so.1: found at ${v.loader}`
      : `  the Vulkan loader libvulkan.so.1: not found in ${v.loaderDirs.join(', ')}${env.LD_LIBRARY_PATH ? '' : ' (LD_LIBRARY_PATH is unset)'}`,
  ];
  if (v.icdVariable) {
    const listed = v.icds.map((i) => `${i.file}${i.exists ? '' : ' (missing)'}`).join(', ');
    lines.push(`  Vulkan drivers named by ${v.icdVariable}: ${listed || 'none'}`);
  } else {
    const found = v.icds.map((i) => i.file).join(', ');
    lines.push(
      `  Vulkan drivers (ICD manifests such as nvidia_icd.json) in ${v.icdDirs.join(', ')}: ${found || 'none'}`,
    );
  }
  if (v.loader && v.icds.some((i) => i.exists)) {
    lines.push(
      '  drivers were found, but none gave Dawn a usable adapter (its warnings above say why: no device, or a driver too old for WebGPU such as an older lavapipe)',
    );
  }
  lines.push(
    "To get one: install the GPU's Vulkan driver (NVIDIA: the proprietary driver with its nvidia_icd.json and libGLX_nvidia.so.0; AMD/Intel: Debian's mesa-vulkan-drivers) and the loader (Debian: libvulkan1).",
    "A software GPU (SwiftShader, from Debian's chromium package) for testing: LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json gd-serve --ep webgpu ...",
  );
  return lines.join('\n');
}

/** Where Debian's chromium package keeps its Vulkan loader and SwiftShader driver. */
export const CHROMIUM_LIB_DIR = '/usr/lib/chromium';

/**
 * The environment that gives a process (started with it: the dynamic linker reads
 * LD_LIBRARY_PATH once) a software WebGPU adapter: SwiftShader's Vulkan driver and the Vulkan
 * loader from Debian's chromium package. Undefined when that package is not installed.
 *
 * @example
 * ```ts
 * const env = softwareGpuEnv('/tmp/xdg');
 * if (env) spawn('gd-serve', ['--model', 'm.onnx', '--ep', 'webgpu'], { env: { ...process.env, ...env } });
 * ```
 */
export function softwareGpuEnv(
  runtimeDir: string,
  libDir = CHROMIUM_LIB_DIR,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> | undefined {
  const icd = join(libDir, 'vk_swiftshader_icd.json');
  if (!existsSync(icd) || !existsSync(join(libDir, 'libvulkan.so.1'))) return undefined;
  return {
    LD_LIBRARY_PATH: [libDir, ...splitPath(env.LD_LIBRARY_PATH)].join(':'),
    VK_ICD_FILENAMES: icd,
    // The Vulkan loader warns without it.
    XDG_RUNTIME_DIR: runtimeDir,
  };
}
