/** Runs one workload of one framework in a child process and parses its JSON line. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mnistDir } from './mnist.js';
import type { Result } from './settings.js';

export const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(packageDir, '../..');
export const PYTHON = process.env.GD_PYTHON ?? '/usr/bin/python3';

export interface Framework {
  name: string;
  /** Extra environment (GD_BACKEND for gd). */
  env?: Record<string, string>;
  /** Variables removed from its environment. */
  unsetEnv?: readonly string[];
  /** Why it cannot run here, or null. */
  missing: string | null;
  command(workload: string, epochs: number): { file: string; args: string[] };
}

function resolvable(pkg: string): boolean {
  try {
    createRequire(join(packageDir, 'package.json')).resolve(`${pkg}/package.json`);
    return true;
  } catch {
    try {
      createRequire(join(packageDir, 'package.json')).resolve(pkg);
      return true;
    } catch {
      return false;
    }
  }
}

function torchMissing(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  return r.status === 0 ? null : 'python3-torch is not installed';
}

/**
 * The Node flags gd's runs start with, as `pnpm main` and `pnpm train` start gd-train: tensors
 * are typed arrays whose memory V8 counts against a small initial old generation, so a training
 * loop would run a full GC every few steps (a quarter of a deep-MLP epoch); a larger initial
 * old space lets short-lived activations die in cheap collections. Peak RSS stays below
 * PyTorch's (bench/results). GD_NODE_FLAGS overrides them ('' for Node's defaults).
 */
export const GD_NODE_FLAGS = (process.env.GD_NODE_FLAGS ?? '--initial-old-space-size=256')
  .split(' ')
  .filter(Boolean);

/** gd on the given backend (or the default one). */
export function gd(backend?: string): Framework {
  return {
    name: backend ? `gd-${backend}` : 'gd',
    ...(backend ? { env: { GD_BACKEND: backend } } : {}),
    missing: null,
    command: (w, e) => ({
      file: process.execPath,
      args: [...GD_NODE_FLAGS, join(packageDir, 'dist', 'gd-run.js'), w, String(e)],
    }),
  };
}

export function peers(): Framework[] {
  const mnist = mnistDir();
  const node = (script: string, pkg: string, name: string): Framework => ({
    name,
    missing: resolvable(pkg) ? null : `${pkg} is not installed`,
    command: (w, e) => ({
      file: process.execPath,
      args: [join(packageDir, 'peers', script), w, mnist, String(e)],
    }),
  });
  return [
    {
      name: 'pytorch',
      missing: torchMissing(),
      // Some machines set these to keep old OpenBLAS builds off kernels that misbehave there; a
      // current one then runs slower kernels than the CPU has (Haswell's AVX2 instead of
      // AVX-512), so PyTorch runs without them (BENCH_KEEP_OPENBLAS_ENV=1 keeps them).
      unsetEnv: process.env.BENCH_KEEP_OPENBLAS_ENV
        ? []
        : ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'],
      command: (w, e) => ({
        file: PYTHON,
        args: [join(packageDir, 'peers', 'torch_bench.py'), w, mnist, String(e)],
      }),
    },
    node('jax.mjs', '@jax-js/jax', 'jax-js'),
    node('tfjs.mjs', '@tensorflow/tfjs-backend-wasm', 'tfjs-wasm'),
  ];
}

/** Runs a framework's workload; env adds to the process environment. */
export function run(
  f: Framework,
  workload: string,
  epochs: number,
  env: Record<string, string> = {},
  timeoutS = 900,
): Result | { error: string } {
  const { file, args } = f.command(workload, epochs);
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    OMP_WAIT_POLICY: 'PASSIVE',
    ...f.env,
    ...env,
  };
  for (const name of f.unsetEnv ?? []) delete childEnv[name];
  const r = spawnSync(file, args, {
    encoding: 'utf8',
    env: childEnv,
    timeout: timeoutS * 1000,
    maxBuffer: 64 << 20,
  });
  const line = (r.stdout ?? '')
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (r.status !== 0 || !line) {
    const why = r.error
      ? r.error.message
      : (r.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
    return { error: `exit ${r.status}: ${why}` };
  }
  const result = JSON.parse(line) as Result;
  result.framework = f.name;
  return result;
}
