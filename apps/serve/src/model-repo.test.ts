import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePbtxt, resolveModels } from './model-repo.js';

describe('parsePbtxt', () => {
  it("reads Triton's config.pbtxt: scalars, enums, lists, nested and repeated messages, comments", () => {
    const config = parsePbtxt(`
      # a model
      name: "mnist"
      platform: "onnxruntime_onnx"
      max_batch_size: 64
      input [ { name: "input" data_type: TYPE_FP32 dims: [ 1, 28, 28 ] } ]
      output { name: "logits" data_type: TYPE_FP32 dims: [ 10 ] }
      output { name: "probs" data_type: TYPE_FP32 dims: [ 10 ] }
      dynamic_batching { preferred_batch_size: [ 8, 16 ] max_queue_delay_microseconds: 2000 }
      instance_group [ { count: 2, kind: KIND_CPU } ]
    `);
    expect(config).toEqual({
      name: 'mnist',
      platform: 'onnxruntime_onnx',
      max_batch_size: 64,
      input: [{ name: 'input', data_type: 'TYPE_FP32', dims: [1, 28, 28] }],
      output: [
        { name: 'logits', data_type: 'TYPE_FP32', dims: [10] },
        { name: 'probs', data_type: 'TYPE_FP32', dims: [10] },
      ],
      dynamic_batching: { preferred_batch_size: [8, 16], max_queue_delay_microseconds: 2000 },
      instance_group: [{ count: 2, kind: 'KIND_CPU' }],
    });
  });

  it('names what it cannot read', () => {
    expect(() => parsePbtxt('name: "x" dynamic_batching {')).toThrow(/missing }/);
    expect(() => parsePbtxt('name:')).toThrow(/field name has no value/);
  });
});

describe('resolveModels', () => {
  const root = () => mkdtempSync(join(tmpdir(), 'gd-repo-'));
  const model = (dir: string) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'model.onnx'), 'x');
  };

  it('takes a file (named after it, or --name)', () => {
    const dir = root();
    writeFileSync(join(dir, 'digits.onnx'), 'x');
    expect(resolveModels(join(dir, 'digits.onnx'))).toEqual([
      { name: 'digits', version: '1', file: join(dir, 'digits.onnx') },
    ]);
    expect(resolveModels(join(dir, 'digits.onnx'), 'mnist')[0]!.name).toBe('mnist');
  });

  it('takes one model directory: the newest version holding the file, config limits', () => {
    const dir = join(root(), 'mnist');
    model(join(dir, '1'));
    model(join(dir, '12'));
    mkdirSync(join(dir, '13'));
    writeFileSync(
      join(dir, 'config.pbtxt'),
      'name: "digits"\nmax_batch_size: 8\ndynamic_batching { }',
    );
    expect(resolveModels(dir)).toEqual([
      {
        name: 'digits',
        version: '12',
        file: join(dir, '12', 'model.onnx'),
        maxBatchSize: 8,
        maxDelayMs: 0,
      },
    ]);
  });

  it('takes a repository of model directories', () => {
    const repo = root();
    model(join(repo, 'b', '1'));
    model(join(repo, 'a', '2'));
    mkdirSync(join(repo, 'notes'));
    expect(resolveModels(repo).map((m) => [m.name, m.version])).toEqual([
      ['a', '2'],
      ['b', '1'],
    ]);
  });

  it('says what is wrong', () => {
    const repo = root();
    expect(() => resolveModels(join(repo, 'nope.onnx'))).toThrow(
      /^--model .*nope\.onnx: no such file or directory$/,
    );
    expect(() => resolveModels(repo)).toThrow(
      /neither an \.onnx file, a model directory .* nor a repository/,
    );
    const tf = join(repo, 'tf');
    model(join(tf, '1'));
    writeFileSync(join(tf, 'config.pbtxt'), 'platform: "tensorflow_savedmodel"');
    expect(() => resolveModels(tf)).toThrow(
      /platform\/backend "tensorflow_savedmodel" is not ONNX/,
    );
    const empty = join(repo, 'empty');
    mkdirSync(join(empty, '1'), { recursive: true });
    expect(() => resolveModels(empty)).toThrow(/no version directory holds model\.onnx/);
    const two = root();
    model(join(two, 'x', '1'));
    model(join(two, 'y', '1'));
    expect(() => resolveModels(two, 'one')).toThrow(/--name applies to one model/);
    writeFileSync(join(two, 'bad name.onnx'), 'x');
    expect(() => resolveModels(join(two, 'bad name.onnx'))).toThrow(
      /model name "bad name" .*use letters, digits/,
    );
  });
});

describe('version policies (config.pbtxt version_policy)', () => {
  const dir = () => {
    const d = join(mkdtempSync(join(tmpdir(), 'gd-repo-')), 'm');
    for (const v of ['1', '2', '5']) {
      mkdirSync(join(d, v), { recursive: true });
      writeFileSync(join(d, v, 'model.onnx'), 'x');
    }
    return d;
  };
  const versions = (policy: string) => {
    const d = dir();
    writeFileSync(join(d, 'config.pbtxt'), `version_policy: ${policy}`);
    return resolveModels(d).map((m) => m.version);
  };

  it('serves the newest version by default, the newest N with latest, all, or specific ones', () => {
    expect(resolveModels(dir()).map((m) => m.version)).toEqual(['5']);
    expect(versions('{ latest { num_versions: 2 } }')).toEqual(['5', '2']);
    expect(versions('{ all { } }')).toEqual(['5', '2', '1']);
    expect(versions('{ specific { versions: [1, 5] } }')).toEqual(['5', '1']);
    expect(versions('{ specific { versions: 2 } }')).toEqual(['2']);
  });

  it('names what is wrong with a policy', () => {
    expect(() => versions('{ latest { num_versions: 0 } }')).toThrow(
      /version_policy: latest\.num_versions: expected an integer >= 1, got 0/,
    );
    expect(() => versions('{ specific { versions: [3] } }')).toThrow(
      /version_policy names version\(s\) 3, but .*3\/model\.onnx do not exist/,
    );
    expect(() => versions('{ newest { } }')).toThrow(/unknown policy newest/);
  });
});
