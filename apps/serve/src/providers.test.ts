import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  nodePlacement,
  parseEpList,
  placementText,
  providerMissing,
  providerPlan,
  sessionProviders,
  surveyVulkan,
  webgpuNoAdapterHelp,
} from './providers.js';

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

describe('where the nodes ran, and what WebGPU looked for', () => {
  it('counts the nodes per provider in an onnxruntime profile (kernel events only)', () => {
    const event = (name: string, provider: string) => ({ cat: 'Node', name, args: { provider } });
    const nodes = nodePlacement([
      { cat: 'Session', name: 'model_run' },
      event('/fc1/Gemm_kernel_time', 'WebGpuExecutionProvider'),
      event('/fc1/Gemm_fence_before', 'WebGpuExecutionProvider'),
      event('/relu/Relu_kernel_time', 'WebGpuExecutionProvider'),
      event('/shape/Shape_kernel_time', 'CPUExecutionProvider'),
    ]);
    expect(nodes).toEqual({ webgpu: 2, cpu: 1 });
    expect(placementText(nodes)).toBe('webgpu:2,cpu:1');
    expect(placementText(undefined)).toBe('unknown');
    expect(() => nodePlacement({})).toThrow(/JSON array/);
  });

  it('lists the Vulkan loader and driver manifests it looked for', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gd-vk-'));
    const icd = join(dir, 'icd.d');
    mkdirSync(icd);
    writeFileSync(join(icd, 'nvidia_icd.json'), '{}');
    writeFileSync(join(dir, 'libvulkan.so.1'), '');
    const named = surveyVulkan({
      LD_LIBRARY_PATH: dir,
      VK_ICD_FILENAMES: `${icd}:${dir}/gone.json`,
    });
    expect(named.loader).toBe(join(dir, 'libvulkan.so.1'));
    expect(named.icdVariable).toBe('VK_ICD_FILENAMES');
    expect(named.icds).toEqual([
      { file: join(icd, 'nvidia_icd.json'), exists: true },
      { file: join(dir, 'gone.json'), exists: false },
    ]);
    const searched = surveyVulkan({ XDG_DATA_DIRS: dir });
    expect(searched.icdDirs).toContain(join(dir, 'vulkan', 'icd.d'));
    if (process.platform === 'linux') {
      const help = webgpuNoAdapterHelp({ VK_ICD_FILENAMES: join(dir, 'gone.json') });
      expect(help).toMatch(/^webgpu: looked for a Vulkan adapter/);
      expect(help).toContain(
        `Vulkan drivers named by VK_ICD_FILENAMES: ${join(dir, 'gone.json')} (missing)`,
      );
      expect(help).toMatch(/install the GPU's Vulkan driver/);
    }
  });
});
