/**
 * gd's part of `pnpm bench`: matmul GFLOP/s, autograd overhead per op, and one epoch of MNIST
 * logistic regression and of the deep network (784-512-256-10, ReLU, dropout 0.2, SGD lr 0.1,
 * batch 128) with test accuracy and peak RSS, on every fast backend available here; matmul and
 * training-step times on WebGPU, labelled with the adapter; then
 * where one training step of each lecture model and the CNN spends its time (phases and
 * kernels) on the default backend. Each workload runs in its own process. Writes
 * bench/results/training.{json,md} and profile.{json,md}.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fmt, writeResults } from './report.js';
import { gd, run } from './runner.js';
import type { Result } from './settings.js';

/** Where no Vulkan driver is named, Chromium's SwiftShader (a software GPU) if it is installed. */
function webgpuRunEnv(): Record<string, string> {
  const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
  const env: Record<string, string> = { XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' };
  if (!process.env.VK_ICD_FILENAMES && existsSync(swiftshader)) env.VK_ICD_FILENAMES = swiftshader;
  return env;
}

const backends = ['native', 'wasm'];
const workloads = ['matmul', 'autograd', 'logreg', 'deep'];
const threads = String(availableParallelism());
const results: Result[] = [];
const notes: string[] = [];
for (const backend of backends) {
  for (const workload of workloads) {
    const r = run(gd(backend), workload, 2, { GD_NUM_THREADS: threads });
    if ('error' in r) {
      notes.push(`gd-${backend} ${workload}: ${r.error}`);
      console.log(`gd-${backend} ${workload}: not run (${r.error.slice(0, 200)})`);
      continue;
    }
    results.push(r);
    console.log(`gd-${backend} ${workload}: ${JSON.stringify(r.values)}`);
  }
}
// WebGPU on whatever adapter is here, labelled with its name (a software GPU such as
// SwiftShader runs on the CPU: its figures say nothing of a hardware GPU). Steps rather than
// epochs: an epoch on a software GPU takes too long.
const gpuEnv = webgpuRunEnv();
for (const workload of ['matmul', 'step-deep', 'step-cnn']) {
  const r = run(gd('webgpu'), workload, 3, gpuEnv);
  if ('error' in r) {
    notes.push(`gd-webgpu ${workload}: ${r.error.split('\n')[0]}`);
    console.log(`gd-webgpu ${workload}: not run (${r.error.slice(0, 200)})`);
    continue;
  }
  results.push(r);
  console.log(`gd-webgpu ${workload}: ${JSON.stringify(r.values)}`);
}

const label = (r: Result): string =>
  r.info?.adapter !== undefined
    ? `${r.framework} (webgpu: ${r.info.adapter})`
    : `${r.framework} (${r.info?.threads ?? '?'} threads)`;
const lines = ['| backend | workload | measure | value |', '| --- | --- | --- | ---: |'];
for (const r of results) {
  for (const [k, v] of Object.entries(r.values)) {
    lines.push(`| ${label(r)} | ${r.workload} | ${k} | ${fmt(v)} |`);
  }
}
if (notes.length) lines.push('', ...notes.map((n) => `- ${n}`));
const markdown = lines.join('\n');
console.log('\n' + markdown);
console.log(
  `\nwrote ${writeResults('training', { date: new Date().toISOString(), node: process.version, results, notes }, markdown)}`,
);

// Per-op breakdown of one training step of each model, on the default (fastest) backend.
const profiles: Result[] = [];
for (const model of ['logreg', 'simple', 'deep', 'resnet', 'cnn']) {
  const r = run(gd(), `profile-${model}`, 0, { GD_NUM_THREADS: threads });
  if ('error' in r) {
    console.log(`profile ${model}: not run (${r.error.slice(0, 200)})`);
    continue;
  }
  profiles.push(r);
}
const profileLines = [
  `# Where a training step's time goes (batch ${128}, SGD, ${profiles[0]?.info?.backend ?? '?'} backend, ${threads} threads)`,
  '',
  'Phases and the slowest kernels, in ms per step; "JavaScript" is the step less all kernel time.',
  '',
];
for (const r of profiles) {
  profileLines.push(
    `## ${r.workload.slice('profile-'.length)}`,
    '',
    '| part | ms per step |',
    '| --- | ---: |',
  );
  for (const [k, v] of Object.entries(r.values))
    profileLines.push(`| ${k.replace(/ ms/, '')} | ${fmt(v)} |`);
  profileLines.push('');
}
const profileMd = profileLines.join('\n');
console.log('\n' + profileMd);
console.log(
  `\nwrote ${writeResults('profile', { date: new Date().toISOString(), node: process.version, profiles }, profileMd)}`,
);
