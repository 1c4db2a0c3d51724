/**
 * The `gd-serve` CLI as a real process: start-up and readiness, provider selection and its
 * messages, flag errors, and SIGTERM while requests are in flight.
 */
import type { ChildProcess } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mnistModelFile } from './fixtures.js';
import type { MnistSplit } from './fixtures.js';
import { inferBody, loadMnist, maxAbsDiff, referenceLogits, request, runCli } from './helpers.js';
import type { Running } from './helpers.js';

let file: string;
let test: MnistSplit;
let reference: Float32Array[];
const children: ChildProcess[] = [];
const run = (args: string[]) => runCli(args, children);

beforeAll(async () => {
  file = await mnistModelFile();
  test = loadMnist('t10k', 40);
  reference = await referenceLogits(file, test, 40);
});

afterEach(() => {
  for (const c of children.splice(0))
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

async function startCli(extra: string[] = []): Promise<{ p: Running; url: string }> {
  const p = run(['--model', file, '--name', 'mnist', '--port', '0', ...extra]);
  const [, url] = await p.waitFor(/listening on (http:\/\/[^\s]+)/);
  await p.waitFor(/gd-serve: ready\n/);
  return { p, url: url as string };
}

describe('gd-serve (the CLI process)', () => {
  it('starts on loopback, logs the execution provider, and serves', async () => {
    const { p, url } = await startCli();
    expect(new URL(url).hostname).toBe('127.0.0.1');
    expect(p.stderr()).toMatch(
      /model mnist v1: execution provider cpu \(nodes cpu:\d+\); requested cpu; warm-up [\d.]+ ms/,
    );
    expect((await request(`${url}/v2/health/ready`)).status).toBe(200);
    const r = await request<{ outputs: { data: number[] }[] }>(`${url}/v2/models/mnist/infer`, {
      method: 'POST',
      json: inferBody(test, [2]),
    });
    expect(maxAbsDiff(r.body.outputs[0]!.data, reference[2]!)).toBeLessThan(1e-5);
    // By default a lone request of this small model skips the worker thread.
    expect(p.stderr()).toMatch(
      /model mnist v1: batches of up to \d+ row\(s\) run on the event loop \(session\.run [\d.]+ ms at batch 1, limit 0\.25 ms\)/,
    );
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^gd_serve_batches_total\{model="mnist",lane="event_loop"\} 1$/m);
    p.child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 0, signal: null });
  });

  it('without a writable temp directory still serves, with the node placement unknown', async () => {
    const env = { ...process.env, TMPDIR: '/nonexistent/gd-serve-tmp' };
    const p = runCli(['--model', file, '--name', 'mnist', '--port', '0'], children, env);
    const [, url] = await p.waitFor(/listening on (http:\/\/[^\s]+)/);
    await p.waitFor(/gd-serve: ready\n/);
    expect(p.stderr()).toMatch(/execution provider cpu \(nodes unknown\)/);
    const meta = await request<{ parameters: Record<string, unknown> }>(`${url}/v2/models/mnist`);
    expect(meta.body.parameters).toMatchObject({
      execution_provider: 'cpu',
      execution_provider_nodes: 'unknown',
    });
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
  });

  it('on SIGTERM answers every request in flight, then exits 0', async () => {
    // A long batching delay keeps the requests queued when the signal comes.
    const { p, url } = await startCli(['--max-delay-ms', '1500', '--max-batch', '64']);
    const n = 30;
    const pending = Array.from({ length: n }, (_, k) =>
      request<{ outputs: { data: number[] }[] }>(`${url}/v2/models/mnist/infer`, {
        method: 'POST',
        json: inferBody(test, [k]),
      }),
    );
    for (;;) {
      const text = await (await fetch(`${url}/metrics`)).text();
      if (text.includes(`gd_serve_queue_depth{model="mnist"} ${n}\n`)) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    p.child.kill('SIGTERM');
    const results = await Promise.all(pending);
    results.forEach((r, k) => {
      expect(r.status).toBe(200);
      expect(maxAbsDiff(r.body.outputs[0]!.data, reference[k]!)).toBeLessThan(1e-5);
    });
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(p.stderr()).toMatch(
      new RegExp(`SIGTERM: draining ${n} request\\(s\\) in flight, then exiting`),
    );
    expect(p.stderr()).toMatch(/gd-serve: stopped\n/);
  });

  it('refuses a GPU provider that is not installed, saying how to install it', async () => {
    const p = run(['--model', file, '--port', '0', '--ep', 'cuda']);
    const { code } = await p.exited;
    expect(code).toBe(1);
    const err = p.stderr();
    expect(err).toMatch(
      /cuda: the CUDA execution provider is not installed: libonnxruntime_providers_shared\.so/,
    );
    expect(err).toMatch(
      /ONNXRUNTIME_NODE_INSTALL=cuda12 node .*onnxruntime-node.script.install\.js/,
    );
    expect(err).toMatch(/--onnxruntime-node-install=cuda12/);
    expect(err).toMatch(/Or start with --allow-fallback/);
    expect(err).not.toMatch(/gd-serve: ready/);
  });

  it('with --allow-fallback goes down the list, logs why, and reports it in the model metadata', async () => {
    const { p, url } = await startCli(['--ep', 'tensorrt,cuda', '--allow-fallback']);
    expect(p.stderr()).toMatch(
      /execution provider tensorrt not used:\n.*tensorrt: the TensorRT execution provider is not installed/,
    );
    expect(p.stderr()).toMatch(/execution provider cuda not used/);
    expect(p.stderr()).toMatch(
      /execution provider cpu \(fallback from tensorrt\) \(nodes cpu:\d+\); requested tensorrt,cuda with fallback allowed/,
    );
    const meta = await request<{ parameters: Record<string, unknown> }>(`${url}/v2/models/mnist`);
    expect(meta.body.parameters).toMatchObject({
      execution_provider: 'cpu',
      execution_providers_requested: 'tensorrt,cuda',
      execution_provider_fallback: true,
    });
    expect(meta.body.parameters.execution_provider_notes).toMatch(
      /ONNXRUNTIME_NODE_INSTALL=cuda12/,
    );
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
  });

  it.each([
    [
      ['--model', 'x.onnx', '--ep', 'tpu'],
      /--ep: unknown execution provider "tpu"; expected cpu, cuda, tensorrt or webgpu/,
    ],
    [['--port', '1'], /required option '--model <path>' not specified/],
    [['--model', 'x.onnx', '--workers', '-1'], /--workers: expected an integer >= 0, got -1/],
    [
      ['--model', 'x.onnx', '--inline-max-ms', 'soon'],
      /--inline-max-ms: expected a number >= 0, got soon/,
    ],
    [
      ['--model', 'x.onnx', '--max-delay-ms', '-1'],
      /--max-delay-ms: expected a number >= 0, got -1/,
    ],
    [
      ['--model', 'x.onnx', '--busy-poll-us', '-5'],
      /--busy-poll-us: expected a number >= 0, got -5/,
    ],
    [
      ['--model', '/nonexistent/model.onnx'],
      /cannot start: --model \/nonexistent\/model\.onnx: no such file or directory/,
    ],
  ])('rejects %j with a message', async (args, message) => {
    const p = run(args);
    const { code } = await p.exited;
    expect(code).not.toBe(0);
    expect(p.stderr()).toMatch(message);
  });

  it('--grpc-port serves gRPC beside HTTP; a bad --model-control is refused naming the choices', async () => {
    const { p } = await startCli(['--grpc-port', '0', '--preferred-batch', '4,8']);
    expect(p.stderr()).toMatch(/gRPC listening on 127\.0\.0\.1:\d+/);
    p.child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 0, signal: null });
    const bad = run(['--model', file, '--model-control', 'watch']);
    expect((await bad.exited).code).not.toBe(0);
    expect(bad.stderr()).toMatch(
      /--model-control <mode>' argument 'watch' is invalid\. Allowed choices are none, explicit, poll/,
    );
    const sizes = run(['--model', file, '--preferred-batch', '4,x']);
    expect((await sizes.exited).code).not.toBe(0);
    expect(sizes.stderr()).toMatch(/--preferred-batch: expected sizes >= 1 like 4,8,16, got 4,x/);
  });

  it('--help explains every flag and its default', async () => {
    const p = run(['--help']);
    expect((await p.exited).code).toBe(0);
    const help = p.stderr();
    for (const flag of [
      '--model <path>',
      '--ep <list>',
      '--allow-fallback',
      '--host <host>',
      '--port <port>',
      '--workers <n>',
      '--inline-max-ms <ms>',
      '--max-batch <n>',
      '--max-delay-ms <ms>',
      '--max-queue <n>',
      '--body-limit <bytes>',
      '--api-key <key>',
      '--grpc-port <port>',
      '--intra-op-threads <n>',
      '--preferred-batch <sizes>',
      '--model-control <mode>',
      '--repository-poll-secs <s>',
      '--request-timeout-ms <ms>',
      '--busy-poll-us <us>',
    ]) {
      expect(help).toContain(flag);
    }
    expect(help).toMatch(/default: "127\.0\.0\.1"/);
    expect(help).toMatch(/default: 64/);
    expect(help).toMatch(/default: 0\.25/);
    expect(help).toMatch(/--busy-poll-us <us>[\s\S]*?\(default: 200\)/);
  });
});
