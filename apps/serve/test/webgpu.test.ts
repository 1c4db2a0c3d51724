/**
 * `gd-serve --ep webgpu` as a real process on onnxruntime-node's WebGPU provider, with a
 * software GPU (SwiftShader's Vulkan driver from Debian's chromium, which `pnpm test` installs):
 * outputs equal CPU's, the provider actually used is what the metadata, statistics and metrics
 * report, and a missing adapter stops an explicit request with what was looked for.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_LIB_DIR, softwareGpuEnv } from '../src/providers.js';
import { mnistModelFile } from './fixtures.js';
import type { MnistSplit } from './fixtures.js';
import {
  inferBinary,
  inferBody,
  loadMnist,
  maxAbsDiff,
  referenceLogits,
  request,
  runCli,
} from './helpers.js';

interface Meta {
  parameters: Record<string, unknown>;
}
interface Infer {
  outputs: { name: string; shape: number[]; data: number[] }[];
}
interface Stats {
  model_stats: {
    execution_provider: string;
    execution_provider_nodes: string;
    inference_count: number;
  }[];
}

const N = 40;
let file: string;
let test: MnistSplit;
let reference: Float32Array[];
let gpuEnv: NodeJS.ProcessEnv;
const children: ChildProcess[] = [];

beforeAll(async () => {
  const sw = softwareGpuEnv(mkdtempSync(join(tmpdir(), 'gd-serve-xdg-')));
  if (!sw) {
    throw new Error(
      `no software GPU: SwiftShader's vk_swiftshader_icd.json and libvulkan.so.1 are missing from ${CHROMIUM_LIB_DIR}; install Debian's chromium (apt-get install -y chromium)`,
    );
  }
  gpuEnv = { ...process.env, ...sw };
  file = await mnistModelFile();
  test = loadMnist('t10k', N);
  reference = await referenceLogits(file, test, N);
});

afterEach(() => {
  for (const c of children.splice(0))
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

const args = (ep: string, ...extra: string[]) => [
  '--model',
  file,
  '--name',
  'mnist',
  '--port',
  '0',
  '--ep',
  ep,
  ...extra,
];

async function start(env: NodeJS.ProcessEnv, ep: string, ...extra: string[]) {
  const p = runCli(args(ep, ...extra), children, env);
  const [, url] = await p.waitFor(/listening on (http:\/\/[^\s]+)/);
  await p.waitFor(/gd-serve: ready\n/);
  return { p, url: url as string };
}

describe('gd-serve --ep webgpu (onnxruntime-node WebGPU provider on SwiftShader)', () => {
  it('serves on the WebGPU provider with outputs equal to CPU within 1e-4, and reports it', async () => {
    const { p, url } = await start(gpuEnv, 'webgpu');
    expect(p.stderr()).toMatch(/model mnist v1: execution provider webgpu \(nodes webgpu:\d+/);
    const meta = await request<Meta>(`${url}/v2/models/mnist`);
    expect(meta.body.parameters).toMatchObject({
      execution_provider: 'webgpu',
      execution_providers_requested: 'webgpu',
      execution_provider_fallback: false,
      execution_provider_nodes: expect.stringMatching(/^webgpu:\d+/),
    });

    // One batch of N images in JSON, then two with the binary extension.
    const r = await request<Infer>(`${url}/v2/models/mnist/infer`, {
      method: 'POST',
      json: inferBody(
        test,
        Array.from({ length: N }, (_, i) => i),
      ),
    });
    expect(r.status).toBe(200);
    const out = r.body.outputs[0]!;
    expect(out.shape).toEqual([N, 10]);
    for (let i = 0; i < N; i++)
      expect(maxAbsDiff(out.data.slice(i * 10, i * 10 + 10), reference[i]!)).toBeLessThan(1e-4);

    const binary = await inferBinary(url, test, [7, 8], 'output');
    expect(binary.status).toBe(200);
    const logits = binary.floats(20);
    expect(maxAbsDiff(logits.subarray(0, 10), reference[7]!)).toBeLessThan(1e-4);
    expect(maxAbsDiff(logits.subarray(10), reference[8]!)).toBeLessThan(1e-4);

    const stats = await request<Stats>(`${url}/v2/models/mnist/stats`);
    expect(stats.body.model_stats[0]).toMatchObject({
      execution_provider: 'webgpu',
      execution_provider_nodes: expect.stringMatching(/^webgpu:\d+/),
      inference_count: N + 2,
    });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('gd_serve_execution_provider{model="mnist",provider="webgpu"} 1');
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
  });

  it('without an adapter an explicit --ep webgpu stops, saying what was looked for', async () => {
    const missing = join(tmpdir(), 'gd-serve-no-such-driver', 'icd.json');
    const p = runCli(args('webgpu'), children, { ...gpuEnv, VK_ICD_FILENAMES: missing });
    expect((await p.exited).code).toBe(1);
    const err = p.stderr();
    expect(err).toMatch(/webgpu: no WebGPU adapter found \(onnxruntime: .*adapter/i);
    expect(err).toMatch(/webgpu: looked for a Vulkan adapter/);
    expect(err).toContain(
      `the Vulkan loader libvulkan.so.1: found at ${join(CHROMIUM_LIB_DIR, 'libvulkan.so.1')}`,
    );
    expect(err).toContain(`Vulkan drivers named by VK_ICD_FILENAMES: ${missing} (missing)`);
    expect(err).toMatch(/install the GPU's Vulkan driver/);
    expect(err).not.toMatch(/gd-serve: ready/);
  });

  it('with --allow-fallback runs on cpu and never claims webgpu', async () => {
    const env = { ...gpuEnv, VK_ICD_FILENAMES: join(tmpdir(), 'gd-serve-no-such-driver.json') };
    const { p, url } = await start(env, 'webgpu', '--allow-fallback');
    expect(p.stderr()).toMatch(/execution provider cpu \(fallback from webgpu\) \(nodes cpu:\d+\)/);
    const meta = await request<Meta>(`${url}/v2/models/mnist`);
    expect(meta.body.parameters).toMatchObject({
      execution_provider: 'cpu',
      execution_provider_fallback: true,
      execution_provider_nodes: expect.stringMatching(/^cpu:\d+$/),
    });
    expect(meta.body.parameters.execution_provider_notes).toMatch(/no WebGPU adapter found/);
    const stats = await request<Stats>(`${url}/v2/models/mnist/stats`);
    expect(stats.body.model_stats[0]!.execution_provider).toBe('cpu');
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('gd_serve_execution_provider{model="mnist",provider="cpu"} 1');
    expect(metrics).not.toContain('provider="webgpu"');
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
  });
});
