/**
 * What is particular to the WebGPU backend (the conformance suite checks its numbers): values
 * stay coherent between the GPU and the host and across a switch to a CPU backend, the async
 * readers, synchronize(), in-place ops whose output is also an input, and the error without an
 * adapter. Runs in the webgpu project only (vitest.config.ts).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  fromTypedArray,
  getBackend,
  randn,
  setBackend,
  synchronize,
  synchronizeAsync,
  tensor,
  webgpuBackend,
} from '../../index.js';

afterEach(() => {
  setBackend('webgpu');
});

describe('the WebGPU backend', () => {
  it('is the active backend here, on a named adapter', () => {
    expect(getBackend().name).toBe('webgpu');
    expect(webgpuBackend.adapter).toBeTruthy();
  });

  it('keeps values coherent: GPU results seen by host writes, host writes seen by the GPU', () => {
    const x = tensor([1, 2, 3]);
    const y = x.mul(2); // on the GPU
    y.storage.data[0] = 100; // the host takes the values over, and writes
    expect(y.add(1).toArray()).toEqual([101, 5, 7]); // the next GPU op uploads the write
  });

  it('a switch to a CPU backend reads what the GPU wrote', () => {
    const y = tensor([1, 2, 3]).mul(3);
    const cpu = webgpuBackend.cpu.name;
    setBackend(cpu);
    expect(y.add(1).toArray()).toEqual([4, 7, 10]);
    setBackend('webgpu');
    expect(y.sub(1).toArray()).toEqual([2, 5, 8]);
  });

  it('async readers give the values without blocking, views included', async () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]).mul(10);
    expect(Array.from(await x.t().dataAsync())).toEqual([10, 30, 20, 40]);
    expect(await x.toArrayAsync()).toEqual([
      [10, 20],
      [30, 40],
    ]);
    expect(await x.sum().itemAsync()).toBe(100);
  });

  it('synchronize() waits for queued kernels; synchronizeAsync() too', async () => {
    const a = randn([64, 64]);
    const c = a.matmul(a);
    synchronize();
    await synchronizeAsync();
    expect(c.shape).toEqual([64, 64]);
  });

  it('in-place ops whose output is an input (x.add_(x)) and a shared typed array', () => {
    const buf = new Float32Array([1, 2, 3, 4]);
    const x = fromTypedArray(buf, [4]);
    x.add_(x);
    expect(x.toArray()).toEqual([2, 4, 6, 8]);
    expect(Array.from(buf)).toEqual([2, 4, 6, 8]);
  });

  it('float64 runs on the CPU with the data moved; int32 and bool stay on the GPU', () => {
    const d = tensor([1.5, 2.5], { dtype: 'float64' }).mul(2);
    expect(d.dtype).toBe('float64');
    expect(d.toArray()).toEqual([3, 5]);
    const i = tensor([3, 1, 2], { dtype: 'int32' });
    expect(i.add(i).toArray()).toEqual([6, 2, 4]);
    expect(i.gt(1).sum().item()).toBe(2);
  });

  it('without an adapter, asking for it fails and says what was looked for', () => {
    const index = fileURLToPath(new URL('../../../dist/index.js', import.meta.url));
    const script = `import(${JSON.stringify(index)}).then((t) => t.setBackend('webgpu'))`;
    let message = '';
    try {
      execFileSync(process.execPath, ['-e', script], {
        env: { ...process.env, GD_BACKEND: '', VK_ICD_FILENAMES: '/nonexistent/icd.json' },
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (e) {
      message = String((e as { stderr?: string }).stderr);
    }
    expect(message).toMatch(/no WebGPU adapter was found .*looked for/);
  });
});
