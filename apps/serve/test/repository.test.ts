/**
 * Live model management over real HTTP: Triton's repository extension (index, load, unload)
 * with --model-control explicit, version policies, and --model-control poll while clients send
 * a steady load: a version copied in and another removed, and not one request fails.
 */
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/index.js';
import { mnistModelFile } from './fixtures.js';
import type { MnistSplit } from './fixtures.js';
import { argmax, inferBody, loadMnist, referenceLogits, request } from './helpers.js';

let file: string;
let test: MnistSplit;
let reference: Float32Array[];

beforeAll(async () => {
  file = await mnistModelFile();
  test = loadMnist('t10k', 16);
  reference = await referenceLogits(file, test, 16);
});

/** A repository with one model directory holding `versions`, and its config.pbtxt. */
function repository(name: string, versions: string[], config: string): string {
  const repo = mkdtempSync(join(tmpdir(), 'gd-serve-live-'));
  for (const v of versions) addVersion(join(repo, name), v);
  writeFileSync(join(repo, name, 'config.pbtxt'), `name: "${name}"\n${config}\n`);
  return repo;
}

/** Copies a version in the way a deploy should: complete under a temporary name, then renamed. */
function addVersion(dir: string, version: string): void {
  const tmp = join(dir, `.incoming-${version}`);
  mkdirSync(tmp, { recursive: true });
  cpSync(file, join(tmp, 'model.onnx'));
  renameSync(tmp, join(dir, version));
}

type Infer = { model_version: string; outputs: { data: number[] }[]; error?: string };
type Index = { name: string; version?: string; state: string; reason: string }[];

describe('the repository extension with --model-control explicit', () => {
  it('indexes, unloads and loads a model; the index shows each state', async () => {
    const repo = repository('digits', ['1', '2'], 'version_policy: { all { } }');
    const s = await startServer({ model: repo, port: 0, modelControl: 'explicit' });
    try {
      await s.ready;
      const index = () =>
        request<Index>(`${s.url}/v2/repository/index`, { method: 'POST', json: {} });
      expect((await index()).body).toEqual([
        { name: 'digits', version: '1', state: 'READY', reason: '' },
        { name: 'digits', version: '2', state: 'READY', reason: '' },
      ]);
      const meta = await request<{ versions: string[] }>(`${s.url}/v2/models/digits`);
      expect(meta.body.versions).toEqual(['1', '2']);
      const v1 = await request<Infer>(`${s.url}/v2/models/digits/versions/1/infer`, {
        method: 'POST',
        json: inferBody(test, [0]),
      });
      expect(v1.body.model_version).toBe('1');
      const latest = await request<Infer>(`${s.url}/v2/models/digits/infer`, {
        method: 'POST',
        json: inferBody(test, [0]),
      });
      expect(latest.body.model_version).toBe('2');

      const unload = await request(`${s.url}/v2/repository/models/digits/unload`, {
        method: 'POST',
        json: {},
      });
      expect(unload.status).toBe(200);
      expect((await index()).body).toEqual([
        { name: 'digits', version: '1', state: 'UNAVAILABLE', reason: 'not loaded' },
        { name: 'digits', version: '2', state: 'UNAVAILABLE', reason: 'not loaded' },
      ]);
      const gone = await request(`${s.url}/v2/models/digits/infer`, {
        method: 'POST',
        json: inferBody(test, [0]),
      });
      expect(gone.status).toBe(404);
      expect(gone.body.error).toMatch(/^model: unknown model "digits"/);

      // The policy changes on disk, then a load applies it.
      writeFileSync(
        join(repo, 'digits', 'config.pbtxt'),
        'name: "digits"\nversion_policy: { specific { versions: [1] } }\n',
      );
      const load = await request(`${s.url}/v2/repository/models/digits/load`, {
        method: 'POST',
        json: {},
      });
      expect(load.status).toBe(200);
      expect(
        (await request<{ versions: string[] }>(`${s.url}/v2/models/digits`)).body.versions,
      ).toEqual(['1']);
      const missing = await request(`${s.url}/v2/repository/models/nope/load`, {
        method: 'POST',
        json: {},
      });
      expect(missing.status).toBe(404);
      expect(missing.body.error).toMatch(/^model: no model directory "nope" in /);
      const v2 = await request(`${s.url}/v2/models/digits/versions/2`);
      expect(v2.status).toBe(404);
      expect(v2.body.error).toMatch(/^version: model digits has version 1, not "2"/);
    } finally {
      await s.close();
    }
  });

  it('refuses load and unload without --model-control explicit, naming the flag', async () => {
    const repo = repository('digits', ['1'], '');
    const s = await startServer({ model: repo, port: 0 });
    try {
      await s.ready;
      const r = await request(`${s.url}/v2/repository/models/digits/unload`, {
        method: 'POST',
        json: {},
      });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatch(
        /model control is "none"; start gd-serve with --model-control explicit/,
      );
      expect((await request(`${s.url}/v2/models/digits/ready`)).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe('--model-control poll under steady load', () => {
  it('loads a version copied in, retires those removed (the busy one too); every request is answered correctly', async () => {
    const repo = repository('digits', ['1', '2'], 'version_policy: { all { } }');
    const s = await startServer({ model: repo, port: 0, modelControl: 'poll', pollMs: 50 });
    try {
      await s.ready;
      const versions = async () =>
        (await request<{ versions: string[] }>(`${s.url}/v2/models/digits`)).body.versions;
      let stop = false;
      const answers: { status: number; version: string; ok: boolean; error?: string }[] = [];
      // Four clients, each one request at a time, bounded in count (and stopped when done).
      const client = async (c: number) => {
        for (let n = 0; !stop && n < 3000; n++) {
          const i = (c * 7 + n) % 16;
          const r = await request<Infer>(`${s.url}/v2/models/digits/infer`, {
            method: 'POST',
            json: inferBody(test, [i]),
          });
          answers.push({
            status: r.status,
            version: r.body.model_version,
            ok: r.status === 200 && argmax(r.body.outputs[0]!.data) === argmax(reference[i]!),
            error: r.body.error,
          });
        }
      };
      const clients = [0, 1, 2, 3].map(client);
      const until = async (want: string[]) => {
        for (let t = 0; t < 400 && (await versions()).join() !== want.join(); t++) {
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(await versions()).toEqual(want);
      };
      await new Promise((r) => setTimeout(r, 100));
      addVersion(join(repo, 'digits'), '3');
      await until(['1', '2', '3']);
      const before = answers.length;
      rmSync(join(repo, 'digits', '1'), { recursive: true });
      await until(['2', '3']);
      while (answers.length < before + 50) await new Promise((r) => setTimeout(r, 10));
      // The version taking all the load goes: its queued requests are answered, new ones go to 2.
      const beforeDrain = answers.length;
      rmSync(join(repo, 'digits', '3'), { recursive: true });
      await until(['2']);
      while (answers.length < beforeDrain + 50) await new Promise((r) => setTimeout(r, 10));
      stop = true;
      await Promise.all(clients);
      const failed = answers.filter((a) => !a.ok);
      expect(failed).toEqual([]);
      expect(answers.length).toBeGreaterThan(50);
      expect(new Set(answers.map((a) => a.version))).toContain('3');
      const index = await request<Index>(`${s.url}/v2/repository/index`, {
        method: 'POST',
        json: {},
      });
      expect(index.body.map((e) => [e.version, e.state])).toEqual([['2', 'READY']]);
    } finally {
      await s.close();
    }
  });
});
