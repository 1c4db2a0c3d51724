import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEpList, providerMissing, providerPlan, sessionProviders } from './providers.js';

describe('execution providers', () => {
  it('parses the ordered --ep list', () => {
    expect(parseEpList('cuda, CPU')).toEqual(['cuda', 'cpu']);
    expect(parseEpList('cpu,cpu')).toEqual(['cpu']);
    expect(() => parseEpList('tpu')).toThrow(
      /^--ep: unknown execution provider "tpu"; expected cpu, cuda, tensorrt or webgpu$/,
    );
    expect(() => parseEpList(' , ')).toThrow(/^--ep: expected one or more/);
  });

  it('falls back only when allowed, with cpu last', () => {
    expect(providerPlan(['cuda', 'webgpu'], false)).toEqual(['cuda']);
    expect(providerPlan(['cuda', 'webgpu'], true)).toEqual(['cuda', 'webgpu', 'cpu']);
    expect(providerPlan(['cpu', 'cuda'], true)).toEqual(['cpu', 'cuda']);
  });

  it('says how to install the CUDA provider libraries when they are missing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'gd-ort-bin-'));
    expect(providerMissing('cpu', empty)).toBeUndefined();
    if (process.platform === 'linux' && process.arch === 'x64') {
      const why = providerMissing('cuda', empty)!;
      expect(why).toMatch(
        /^cuda: the CUDA execution provider is not installed: libonnxruntime_providers_shared\.so, libonnxruntime_providers_cuda\.so missing/,
      );
      expect(why).toMatch(/ONNXRUNTIME_NODE_INSTALL=cuda12 node .*script.install\.js/);
      expect(providerMissing('tensorrt', empty)).toMatch(
        /TensorRT execution provider is not installed.*libonnxruntime_providers_tensorrt\.so/,
      );
      for (const f of ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'])
        writeFileSync(join(empty, f), '');
      expect(providerMissing('cuda', empty)).toBeUndefined();
    }
  });

  it('gives onnxruntime the GPU provider with CPU behind it', () => {
    expect(sessionProviders('cuda')).toEqual(['cuda', 'cpu']);
    expect(sessionProviders('tensorrt')).toEqual(['tensorrt', 'cuda', 'cpu']);
    expect(sessionProviders('cpu')).toEqual(['cpu']);
  });
});
