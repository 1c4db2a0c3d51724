/** writeTritonRepository: the model repository layout and config.pbtxt Triton reads. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { randn } from '@gd/autograd';
import { Linear } from '@gd/nn';
import { SimpleNN } from '@gd/nn/models';
import { exportOnnx, tritonConfig, writeTritonRepository } from './index.js';

const fresh = (): string => mkdtempSync(join(tmpdir(), 'gd-triton-'));

describe('writeTritonRepository', () => {
  it('writes <name>/config.pbtxt and <name>/1/model.onnx with dynamic batching', () => {
    const bytes = exportOnnx(new SimpleNN(), randn([2, 1, 28, 28]));
    const dir = fresh();
    const files = writeTritonRepository(bytes, dir, { name: 'mnist', maxBatch: 64 });
    expect(files).toEqual({
      config: join(dir, 'mnist', 'config.pbtxt'),
      model: join(dir, 'mnist', '1', 'model.onnx'),
    });
    expect(readFileSync(files.model).equals(bytes)).toBe(true); // (toEqual is slow on 400 kB)
    expect(readFileSync(files.config, 'utf8')).toBe(
      [
        'name: "mnist"',
        'platform: "onnxruntime_onnx"',
        'max_batch_size: 64',
        'input [',
        '  {',
        '    name: "input"',
        '    data_type: TYPE_FP32',
        '    dims: [ 1, 28, 28 ]',
        '  }',
        ']',
        'output [',
        '  {',
        '    name: "output"',
        '    data_type: TYPE_FP32',
        '    dims: [ 10 ]',
        '  }',
        ']',
        'dynamic_batching {',
        '  max_queue_delay_microseconds: 2000',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('takes names, types and dims from the graph, and the options for the rest', () => {
    const bytes = exportOnnx(new Linear(4, 3), randn([2, 4]), {
      inputNames: ['features'],
      outputNames: ['scores'],
    });
    const dir = fresh();
    const files = writeTritonRepository(bytes, dir, {
      name: 'linear-v2',
      maxBatch: 128,
      version: 3,
      maxQueueDelayMicroseconds: 500,
      preferredBatchSizes: [16, 64],
      instanceGroup: { count: 2, kind: 'KIND_GPU' },
    });
    expect(existsSync(join(dir, 'linear-v2', '3', 'model.onnx'))).toBe(true);
    const config = readFileSync(files.config, 'utf8');
    expect(config).toContain('max_batch_size: 128');
    expect(config).toContain('name: "features"');
    expect(config).toContain('    dims: [ 4 ]');
    expect(config).toContain('name: "scores"');
    expect(config).toContain('    dims: [ 3 ]');
    expect(config).toContain(
      'dynamic_batching {\n  preferred_batch_size: [ 16, 64 ]\n  max_queue_delay_microseconds: 500\n}',
    );
    expect(config).toContain('instance_group [\n  {\n    count: 2\n    kind: KIND_GPU\n  }\n]');
  });

  it('maxBatch 0: no batching, full dims', () => {
    const bytes = exportOnnx(new Linear(4, 3), randn([2, 4]), { dynamicBatch: false });
    const config = readFileSync(
      writeTritonRepository(bytes, fresh(), { name: 'fixed', maxBatch: 0 }).config,
      'utf8',
    );
    expect(config).toContain('max_batch_size: 0');
    expect(config).toContain('dims: [ 2, 4 ]');
    expect(config).not.toContain('dynamic_batching');
  });

  it('refuses a fixed batch dim with batching, bad names and bad numbers', () => {
    const fixed = exportOnnx(new Linear(4, 3), randn([2, 4]), { dynamicBatch: false });
    expect(() => writeTritonRepository(fixed, fresh(), { name: 'm' })).toThrow(
      /input 'input' has a fixed dim 0; export with dynamicBatch/,
    );
    const bytes = exportOnnx(new Linear(4, 3), randn([2, 4]));
    expect(() => writeTritonRepository(bytes, fresh(), { name: '../evil' })).toThrow(/model name/);
    expect(() => writeTritonRepository(bytes, fresh(), { name: 'm', maxBatch: -1 })).toThrow(
      /maxBatch must be an integer >= 0/,
    );
    expect(() => writeTritonRepository(bytes, fresh(), { name: 'm', version: 0 })).toThrow(
      /version must be an integer >= 1/,
    );
  });
});

describe('tritonConfig', () => {
  it('accepts gd dtype names and explicit dims (-1 for any size)', () => {
    const text = tritonConfig({
      name: 'tokens',
      maxBatch: 8,
      inputs: [{ name: 'ids', dataType: 'int32', dims: [-1] }],
      outputs: [{ name: 'logits', dataType: 'TYPE_FP32', dims: [-1, 100] }],
    });
    expect(text).toContain('name: "ids"\n    data_type: TYPE_INT32\n    dims: [ -1 ]');
    expect(text).toContain('data_type: TYPE_FP32\n    dims: [ -1, 100 ]');
    expect(() =>
      tritonConfig({
        name: 'x',
        inputs: [{ name: 'a', dataType: 'complex', dims: [1] }],
        outputs: [],
      }),
    ).toThrow(/unknown data type 'complex'/);
  });
});
