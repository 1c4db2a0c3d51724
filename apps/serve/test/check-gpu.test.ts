/**
 * `scripts/check-gpu.mjs`, the end-to-end check for a GPU machine, run as a process here (no
 * GPU): it must report what it found and serve the test model on cpu and on webgpu (SwiftShader)
 * with outputs equal to CPU's, and fail when a provider cannot serve.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_DIR } from '../src/runtime.js';
import { mnistModelFile } from './fixtures.js';

const SCRIPT = join(PACKAGE_DIR, 'scripts', 'check-gpu.mjs');

interface Row {
  ep: string;
  ok: boolean;
  provider?: string;
  nodes?: string;
  maxAbsDiffVsCpu?: number;
  throughput?: { rowsPerSecond: number };
  error?: string;
}
interface Report {
  driver: { nvidiaSmi: string | null };
  vulkan: { loaderDirs: string[] };
  libraries: Record<string, string | null>;
  serving: Row[];
  text: string;
}

function check(args: string[]): Promise<{ code: number | null; report: Report; out: string }> {
  const json = join(mkdtempSync(join(tmpdir(), 'gd-check-gpu-test-')), 'report.json');
  const child = spawn(process.execPath, [SCRIPT, ...args, '--json', json], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) =>
    child.on('exit', (code) =>
      resolve({ code, out, report: JSON.parse(readFileSync(json, 'utf8')) as Report }),
    ),
  );
}

let model: string;
beforeAll(async () => {
  model = await mnistModelFile();
});

describe('scripts/check-gpu.mjs', () => {
  it('reports the machine and serves on cpu and webgpu (SwiftShader) with CPU-equal outputs', async () => {
    const args = ['--eps', 'cpu,webgpu', '--software', '--model', model];
    const { code, report, out } = await check([...args, '--seconds', '0.3', '--batch', '4']);
    expect(out).toMatch(/NVIDIA driver\n {2}\[( ok | -- )\] nvidia-smi/);
    expect(out).toMatch(/loader libvulkan\.so\.1/);
    expect(out).toMatch(/cuda provider/);
    expect(report.text).toBe(out.trimEnd());
    expect(code).toBe(0);
    expect(report.serving.map((r) => [r.ep, r.ok, r.provider])).toEqual([
      ['cpu', true, 'cpu'],
      ['webgpu', true, 'webgpu'],
    ]);
    for (const r of report.serving) {
      expect(r.maxAbsDiffVsCpu).toBeLessThan(1e-4);
      expect(r.throughput!.rowsPerSecond).toBeGreaterThan(0);
    }
    expect(report.serving[1]!.nodes).toMatch(/^webgpu:\d+/);
  });

  it("fails, with gd-serve's message, when a provider cannot serve", async () => {
    const { code, report, out } = await check([
      '--eps',
      'cuda',
      '--model',
      model,
      '--seconds',
      '0.3',
    ]);
    expect(code).toBe(1);
    expect(report.serving[0]).toMatchObject({ ep: 'cuda', ok: false });
    if (report.libraries.cuda !== 'installed') {
      expect(report.serving[0]!.error).toMatch(/the CUDA execution provider is not installed/);
      expect(out).toMatch(/\[FAIL\] cuda/);
    }
  });
});
