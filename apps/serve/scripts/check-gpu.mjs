#!/usr/bin/env node
/**
 * Checks a GPU machine for gd-serve end to end and prints a report: the NVIDIA driver
 * (nvidia-smi), Vulkan (the loader, driver manifests such as nvidia_icd.json, libGLX_nvidia.so.0),
 * onnxruntime-node's provider libraries and the CUDA libraries they load, then for each execution
 * provider that can be tried: gd-serve started with it alone (no fallback), the provider its
 * metadata reports and where the nodes ran, one batch compared with CPU, batch-1 latency and a
 * throughput figure. Nothing is downloaded; the test model is built here with @gd/nn.
 *
 * Run from the repository root after `pnpm install && pnpm build`:
 *   node apps/serve/scripts/check-gpu.mjs                  # every provider that can be tried
 *   node apps/serve/scripts/check-gpu.mjs --eps cuda --seconds 10 --model my.onnx
 *   node apps/serve/scripts/check-gpu.mjs --software       # webgpu on SwiftShader (no GPU needed)
 * Exit code: 0 when every provider tried served correctly, 1 otherwise.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(PACKAGE_DIR, 'dist');
if (!existsSync(join(DIST, 'cli.js'))) {
  console.error(`check-gpu: ${DIST}/cli.js is missing; run \`pnpm install && pnpm build\` first`);
  process.exit(1);
}
const providers = await import(join(DIST, 'providers.js'));
const require = createRequire(join(PACKAGE_DIR, 'package.json'));
const ort = require('onnxruntime-node');

const { values: opts } = parseArgs({
  options: {
    eps: { type: 'string' },
    model: { type: 'string' },
    seconds: { type: 'string', default: '5' },
    batch: { type: 'string', default: '64' },
    software: { type: 'boolean', default: false },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (opts.help) {
  console.log(`usage: node apps/serve/scripts/check-gpu.mjs [options]
  --eps <list>     providers to serve with (default: cpu, webgpu, and cuda/tensorrt when installed)
  --model <file>   an .onnx model with one float32 input [-1, ...] (default: an MLP built here)
  --seconds <s>    length of each throughput run (default 5)
  --batch <n>      rows per request in the throughput run (default 64)
  --software       give webgpu SwiftShader from Debian's chromium (a software GPU, for testing)
  --json <file>    also write the report as JSON`);
  process.exit(0);
}
const SECONDS = Number(opts.seconds);
const BATCH = Number(opts.batch);
if (!(SECONDS > 0) || !Number.isInteger(BATCH) || BATCH < 1) {
  console.error('check-gpu: --seconds must be > 0 and --batch an integer >= 1');
  process.exit(1);
}

const report = { machine: {}, driver: {}, vulkan: {}, libraries: {}, serving: [] };
const lines = [];
const say = (s = '') => {
  lines.push(s);
  console.log(s);
};
const status = (ok, what, detail) =>
  say(
    `  [${ok === true ? ' ok ' : ok === false ? 'FAIL' : ' -- '}] ${what}${detail ? `: ${detail}` : ''}`,
  );

/** Runs a command; its stdout, or undefined when it is not installed or fails. */
function sh(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20000 });
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.trim();
}

/** The shared libraries the dynamic linker knows (ldconfig's cache), by file name. */
function linkerCache() {
  const out = sh('ldconfig', ['-p']) ?? sh('/sbin/ldconfig', ['-p']) ?? '';
  const map = new Map();
  for (const line of out.split('\n')) {
    const m = line.match(/^\s*(\S+) .*=> (\S+)$/);
    if (m && !map.has(m[1])) map.set(m[1], m[2]);
  }
  return map;
}
const cache = linkerCache();
const libDirs = [
  ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
  '/usr/local/cuda/lib64',
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib64',
];
/** Where a library would be found: LD_LIBRARY_PATH, CUDA's directory, then ldconfig's cache. */
function findLib(name) {
  for (const d of libDirs) if (existsSync(join(d, name))) return join(d, name);
  return cache.get(name);
}

// ---------------------------------------------------------------------------------------------
say(`gd-serve GPU check — ${new Date().toISOString()}`);
const ortVersion = JSON.parse(
  readFileSync(require.resolve('onnxruntime-node/package.json'), 'utf8'),
).version;
report.machine = {
  platform: `${process.platform}/${process.arch}`,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  node: process.version,
  onnxruntimeNode: ortVersion,
};
say(
  `machine: ${report.machine.platform}, ${report.machine.cpu}, ${report.machine.cores} cores; node ${process.version}; onnxruntime-node ${ortVersion}`,
);

say('\nNVIDIA driver');
const smi = sh('nvidia-smi', [
  '--query-gpu=name,driver_version,memory.total,compute_cap',
  '--format=csv,noheader',
]);
report.driver.nvidiaSmi = smi ?? null;
if (smi) for (const gpu of smi.split('\n')) status(true, 'nvidia-smi', gpu.trim());
else status(undefined, 'nvidia-smi', 'not found or failed (no NVIDIA driver here)');
const kernelDriver = existsSync('/proc/driver/nvidia/version')
  ? readFileSync('/proc/driver/nvidia/version', 'utf8').split('\n')[0]
  : undefined;
report.driver.kernelModule = kernelDriver ?? null;
status(
  kernelDriver ? true : undefined,
  'kernel module',
  kernelDriver ?? '/proc/driver/nvidia/version absent',
);

say("\nVulkan (what onnxruntime's WebGPU provider needs on Linux)");
const vk = providers.surveyVulkan(process.env);
report.vulkan = { ...vk, glxNvidia: findLib('libGLX_nvidia.so.0') ?? null };
status(
  vk.loader ? true : false,
  'loader libvulkan.so.1',
  vk.loader ?? `not found in ${vk.loaderDirs.join(', ')} (Debian: apt-get install libvulkan1)`,
);
const icdText = vk.icds.map((i) => `${i.file}${i.exists ? '' : ' (missing)'}`).join(', ');
status(
  vk.icds.some((i) => i.exists) ? true : false,
  vk.icdVariable ? `driver manifests named by ${vk.icdVariable}` : 'driver manifests (ICD)',
  icdText || `none in ${vk.icdDirs.join(', ')}`,
);
const nvidiaIcd = vk.icds.find((i) => /nvidia/i.test(i.file) && i.exists);
status(nvidiaIcd ? true : undefined, 'nvidia_icd.json', nvidiaIcd?.file ?? 'not found');
status(
  report.vulkan.glxNvidia ? true : undefined,
  'libGLX_nvidia.so.0',
  report.vulkan.glxNvidia ?? 'not found',
);
const vkinfo = sh('vulkaninfo', ['--summary']);
if (vkinfo) {
  const names = [...vkinfo.matchAll(/deviceName\s*=\s*(.+)/g)].map((m) => m[1].trim());
  status(true, 'vulkaninfo devices', names.join('; ') || 'none');
} else status(undefined, 'vulkaninfo', 'not installed (Debian: vulkan-tools); skipped');

say('\nonnxruntime-node provider libraries');
const installCommand = `ONNXRUNTIME_NODE_INSTALL=cuda12 node ${join(dirname(require.resolve('onnxruntime-node/package.json')), 'script', 'install.js')}`;
for (const ep of ['cuda', 'tensorrt']) {
  const why = providers.providerMissing(ep);
  report.libraries[ep] = why ?? 'installed';
  status(
    why ? undefined : true,
    `${ep} provider`,
    why ? why.split('\n')[0] : `in ${providers.ortBinaryDir()}`,
  );
}
if (report.libraries.cuda !== 'installed') say(`  to install (needs internet): ${installCommand}`);
for (const lib of [
  'libcudart.so.12',
  'libcublas.so.12',
  'libcublasLt.so.12',
  'libcufft.so.11',
  'libcudnn.so.9',
  'libnvinfer.so.10',
]) {
  const at = findLib(lib);
  report.libraries[lib] = at ?? null;
  status(
    at ? true : undefined,
    lib,
    at ?? 'not found (LD_LIBRARY_PATH, /usr/local/cuda/lib64, ldconfig)',
  );
}

// ---------------------------------------------------------------------------------------------
/** The model served: the user's, or an MLP 784-2048-2048-10 built and exported here. */
async function testModel() {
  if (opts.model) return resolve(opts.model);
  const { manualSeed, zeros } = await import('@gd/autograd');
  const { Linear, ReLU, Sequential } = await import('@gd/nn');
  const { exportOnnx } = await import('@gd/onnx');
  manualSeed(0);
  const model = new Sequential(
    new Linear(784, 2048),
    new ReLU(),
    new Linear(2048, 2048),
    new ReLU(),
    new Linear(2048, 10),
  ).eval();
  const file = join(mkdtempSync(join(tmpdir(), 'gd-check-gpu-')), 'mlp.onnx');
  writeFileSync(
    file,
    exportOnnx(model, zeros([1, 784]), { inputNames: ['input'], outputNames: ['output'] }),
  );
  return file;
}
const modelFile = await testModel();
const cpuSession = await ort.InferenceSession.create(modelFile);
const inputName = cpuSession.inputNames[0];
const inputMeta = cpuSession.inputMetadata?.[0];
const rowShape = (inputMeta?.shape ?? [-1, 784])
  .slice(1)
  .map((d) => (typeof d === 'number' && d > 0 ? d : 1));
const rowSize = rowShape.reduce((a, b) => a * b, 1);
/** Deterministic inputs in [-1, 1). */
const rows = (n, seed = 1) => {
  const x = new Float32Array(n * rowSize);
  let s = seed;
  for (let i = 0; i < x.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    x[i] = (s / 2147483648) * 2 - 1;
  }
  return x;
};
const check = rows(BATCH, 7);
const cpuOut = (
  await cpuSession.run({ [inputName]: new ort.Tensor('float32', check, [BATCH, ...rowShape]) })
)[cpuSession.outputNames[0]].data;

/** A binary-extension request body for n rows. */
function binaryRequest(x, n) {
  const header = Buffer.from(
    JSON.stringify({
      inputs: [
        {
          name: inputName,
          shape: [n, ...rowShape],
          datatype: 'FP32',
          parameters: { binary_data_size: x.byteLength },
        },
      ],
      outputs: [{ name: cpuSession.outputNames[0], parameters: { binary_data: true } }],
    }),
  );
  return {
    body: Buffer.concat([header, Buffer.from(x.buffer, x.byteOffset, x.byteLength)]),
    headerLength: header.length,
  };
}
async function infer(url, req) {
  const res = await fetch(`${url}/v2/models/check/infer`, {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      'inference-header-content-length': String(req.headerLength),
    },
    body: req.body,
  });
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${body.toString().slice(0, 300)}`);
  const n = Number(res.headers.get('inference-header-content-length'));
  return new Float32Array(
    body.buffer.slice(body.byteOffset + n, body.byteLength + body.byteOffset),
  );
}

/** Starts gd-serve with one provider; resolves with its URL, or rejects with its error output. */
function startServe(ep, env) {
  const child = spawn(
    process.execPath,
    [
      join(DIST, 'cli.js'),
      '--model',
      modelFile,
      '--name',
      'check',
      '--port',
      '0',
      '--ep',
      ep,
      '--max-batch',
      String(Math.max(256, BATCH)),
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const started = new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after 180 s:\n${out}`)), 180000);
    const onData = (d) => {
      out += d.toString();
      const url = out.match(/listening on (http:\/\/\S+)/)?.[1];
      if (url && /gd-serve: ready\n/.test(out)) {
        clearTimeout(timer);
        resolveStart(url);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gd-serve exited (${code}):\n${out.trim()}`));
    });
  });
  return { child, started, log: () => out };
}

async function serveWith(ep) {
  const row = { ep, ok: false };
  report.serving.push(row);
  say(`\nserving with --ep ${ep}`);
  let env = { ...process.env };
  if (ep === 'webgpu' && opts.software) {
    const sw = providers.softwareGpuEnv(mkdtempSync(join(tmpdir(), 'gd-check-gpu-xdg-')));
    if (!sw) {
      row.error = `--software: Debian's chromium (${providers.CHROMIUM_LIB_DIR}) is not installed`;
      status(false, 'software GPU', row.error);
      return row;
    }
    env = { ...env, ...sw };
    say('  (SwiftShader, a software GPU: figures are not those of a real GPU)');
  }
  const t0 = performance.now();
  const serve = startServe(ep, env);
  try {
    const url = await serve.started;
    row.startSeconds = (performance.now() - t0) / 1000;
    const meta = await (await fetch(`${url}/v2/models/check`)).json();
    row.provider = meta.parameters.execution_provider;
    row.nodes = meta.parameters.execution_provider_nodes;
    status(
      row.provider === ep,
      'provider used',
      `${row.provider} (nodes ${row.nodes}); started in ${row.startSeconds.toFixed(1)} s`,
    );
    const out = await infer(url, binaryRequest(check, BATCH));
    let diff = 0;
    for (let i = 0; i < out.length; i++) diff = Math.max(diff, Math.abs(out[i] - cpuOut[i]));
    row.maxAbsDiffVsCpu = out.length === cpuOut.length ? diff : Infinity;
    status(
      row.maxAbsDiffVsCpu <= 1e-3,
      `batch of ${BATCH} vs CPU`,
      `max |diff| ${row.maxAbsDiffVsCpu.toExponential(2)}`,
    );
    // Batch-1 latency, one request at a time.
    const one = binaryRequest(rows(1, 3), 1);
    const lat = [];
    const until = performance.now() + Math.min(2, SECONDS) * 1000;
    while (performance.now() < until || lat.length < 5) {
      const s = performance.now();
      await infer(url, one);
      lat.push(performance.now() - s);
    }
    lat.sort((a, b) => a - b);
    row.batch1 = {
      p50Ms: lat[Math.floor(lat.length / 2)],
      p99Ms: lat[Math.floor(lat.length * 0.99)],
      requests: lat.length,
    };
    status(
      true,
      'batch 1, one connection',
      `p50 ${row.batch1.p50Ms.toFixed(3)} ms, p99 ${row.batch1.p99Ms.toFixed(3)} ms`,
    );
    // Throughput: 8 clients sending BATCH rows each, for SECONDS.
    const req = binaryRequest(rows(BATCH, 5), BATCH);
    let done = 0;
    const end = performance.now() + SECONDS * 1000;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (performance.now() < end) {
          await infer(url, req);
          done++;
        }
      }),
    );
    const secs = (performance.now() - start) / 1000;
    row.throughput = {
      rowsPerSecond: (done * BATCH) / secs,
      requests: done,
      seconds: secs,
      batch: BATCH,
      clients: 8,
    };
    status(
      true,
      'throughput',
      `${Math.round(row.throughput.rowsPerSecond)} rows/s (${done} requests of ${BATCH} rows, 8 clients, ${secs.toFixed(1)} s)`,
    );
    row.ok = row.provider === ep && row.maxAbsDiffVsCpu <= 1e-3;
  } catch (e) {
    row.error = e.message;
    status(false, 'gd-serve', e.message.split('\n').slice(0, 12).join('\n         '));
  } finally {
    serve.child.kill('SIGTERM');
  }
  return row;
}

const eps = opts.eps
  ? providers.parseEpList(opts.eps)
  : ['cpu', 'webgpu', ...['cuda', 'tensorrt'].filter((ep) => report.libraries[ep] === 'installed')];
say(`\nmodel: ${modelFile} (input ${inputName} [-1, ${rowShape.join(', ')}])`);
for (const ep of eps) await serveWith(ep);
await cpuSession.release();

say('\nsummary');
for (const r of report.serving) {
  const figure = r.throughput
    ? `${Math.round(r.throughput.rowsPerSecond)} rows/s, batch-1 p50 ${r.batch1.p50Ms.toFixed(3)} ms`
    : r.error?.split('\n')[0];
  status(r.ok, r.ep, figure);
}
if (!opts.eps && report.libraries.cuda !== 'installed')
  say(`  cuda/tensorrt not tried: their provider libraries are not installed (${installCommand})`);
if (opts.json)
  writeFileSync(opts.json, JSON.stringify({ ...report, text: lines.join('\n') }, null, 2));
process.exit(report.serving.every((r) => r.ok) ? 0 : 1);
