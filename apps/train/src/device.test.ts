/**
 * `gd-train --device webgpu`, through the CLI as a process: the same run on the GPU (here
 * SwiftShader, a software Vulkan driver) gives the accuracy of the CPU run, and a machine
 * without an adapter gets an error that says what was looked for.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { webgpuEnv } from '@gd/vitest-config';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const cli = resolve(here, '../dist/cli.js');
const root = mkdtempSync(join(tmpdir(), 'gd-train-device-'));
const gpu = webgpuEnv(new URL('..', import.meta.url));

function run(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } },
      (err, stdout, stderr) =>
        done({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

const quick = (device: string, out: string): string[] => [
  'mnist',
  '--model',
  'logistic',
  '--epochs',
  '3',
  '--limit-train',
  '1024',
  '--limit-test',
  '1000',
  '--no-figures',
  '--progress',
  'none',
  '--device',
  device,
  '--out',
  join(root, out),
];

const accuracyOf = (out: string): number =>
  JSON.parse(readFileSync(join(root, out, 'summary.json'), 'utf8')).testAccuracy as number;

describe('gd-train --device', () => {
  it.runIf(gpu !== null)(
    'webgpu trains to the CPU accuracy (same seed, within 0.3 points) and exports ONNX',
    async () => {
      const [onCpu, onGpu] = await Promise.all([
        run(quick('cpu', 'cpu'), {}),
        run(quick('webgpu', 'gpu'), gpu!),
      ]);
      expect(onCpu.code, onCpu.out).toBe(0);
      expect(onGpu.code, onGpu.out).toBe(0);
      expect(onGpu.out).toMatch(/^device: webgpu \(.+\)$/m);
      expect(Math.abs(accuracyOf('gpu') - accuracyOf('cpu'))).toBeLessThanOrEqual(0.003);
      expect(accuracyOf('gpu')).toBeGreaterThan(0.75);
      expect(readFileSync(join(root, 'gpu', 'model.onnx')).length).toBeGreaterThan(1000);
    },
    300_000,
  );

  it('webgpu without an adapter fails and says what it looked for', async () => {
    const r = await run(quick('webgpu', 'none'), {
      VK_ICD_FILENAMES: '/nonexistent/icd.json',
      XDG_RUNTIME_DIR: '/tmp',
    });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/no WebGPU adapter was found .*looked for/);
  }, 120_000);
});
