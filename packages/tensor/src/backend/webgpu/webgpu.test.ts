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
import { lowerLimits, requestedLimits } from './device.js';

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

  it('an async read that a later kernel write overtakes does not make the stale values current', async () => {
    const x = tensor([1, 2, 3]).mul(2);
    const pending = x.dataAsync();
    x.add_(10); // queued after the read: the GPU copy is newer than what the read returns
    await pending;
    expect(x.toArray()).toEqual([12, 14, 16]);
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

describe('big tensors and the device limits', () => {
  it('reports the limits it keeps to', () => {
    const limits = webgpuBackend.limits!;
    expect(limits.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(128 * 2 ** 20);
    expect(limits.maxBufferSize).toBeGreaterThanOrEqual(limits.maxStorageBufferBindingSize);
  });

  it('GD_WEBGPU_LIMITS lowers them (never raises them), and a malformed one is refused', () => {
    const device = { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 27 };
    expect(lowerLimits(device, { maxStorageBufferBindingSize: 65536 })).toEqual({
      maxBufferSize: 2 ** 30,
      maxStorageBufferBindingSize: 65536,
    });
    expect(lowerLimits(device, { maxStorageBufferBindingSize: 2 ** 31 })).toEqual(device);
    // the binding limit follows a lowered buffer limit
    expect(lowerLimits(device, { maxBufferSize: 4096 })).toEqual({
      maxBufferSize: 4096,
      maxStorageBufferBindingSize: 4096,
    });
    const saved = process.env.GD_WEBGPU_LIMITS;
    try {
      process.env.GD_WEBGPU_LIMITS = 'maxBufferSize=4096, maxStorageBufferBindingSize=1024';
      expect(requestedLimits()).toEqual({ maxBufferSize: 4096, maxStorageBufferBindingSize: 1024 });
      process.env.GD_WEBGPU_LIMITS = 'maxBufferBytes=4096';
      expect(() => requestedLimits()).toThrow(/'maxBufferBytes=4096' is not maxBufferSize=/);
      process.env.GD_WEBGPU_LIMITS = 'maxBufferSize=lots';
      expect(() => requestedLimits()).toThrow(/GD_WEBGPU_LIMITS/);
    } finally {
      if (saved === undefined) delete process.env.GD_WEBGPU_LIMITS;
      else process.env.GD_WEBGPU_LIMITS = saved;
    }
  });

  // A device with a 64 KiB binding limit (a simulated small GPU; real limits are 128 MiB and
  // up): transfers go in 16 KiB chunks (a quarter of it), 4096 float32 elements each.
  it('under a small simulated limit: uploads and reads in chunks, and a clear error past it', () => {
    const index = fileURLToPath(new URL('../../../dist/index.js', import.meta.url));
    // A CommonJS script (as the test above): a worker started under --input-type=module
    // inherits that flag.
    const script = `import(${JSON.stringify(index)}).then(async (t) => {
      t.setBackend('webgpu');
      const n = 3 * 4096 + 7; // three chunks and a bit
      const host = Float32Array.from({ length: n }, (_, i) => i - 5000);
      const x = t.fromTypedArray(host, [n]);
      const doubled = x.mul(2);
      const positive = x.gt(0); // bool: one u32 per element on the device
      const counts = t.arange(n, { dtype: 'int32' }).add(t.tensor(1, { dtype: 'int32' }));
      const out = {
        limits: t.webgpuBackend.limits,
        sync: Array.from(doubled.data),
        async: Array.from(await x.add(1).dataAsync()),
        positive: positive.sum().item(),
        counts: Array.from(counts.neg().data).slice(-3),
        tooBig: '',
      };
      try {
        t.zeros([16385]).add(1).data; // 65540 bytes: 4 past the limit
      } catch (e) {
        out.tooBig = e.message;
      }
      console.log(JSON.stringify(out));
      process.exit(0);
    });`;
    const stdout = execFileSync(process.execPath, ['-e', script], {
      env: {
        ...process.env,
        GD_BACKEND: '',
        GD_WEBGPU_LIMITS: 'maxStorageBufferBindingSize=65536',
      },
      encoding: 'utf8',
    });
    const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      limits: { maxStorageBufferBindingSize: number };
      sync: number[];
      async: number[];
      positive: number;
      counts: number[];
      tooBig: string;
    };
    const n = 3 * 4096 + 7;
    expect(r.limits.maxStorageBufferBindingSize).toBe(65536);
    expect(r.sync).toEqual(Array.from({ length: n }, (_, i) => 2 * (i - 5000)));
    expect(r.async).toEqual(Array.from({ length: n }, (_, i) => i - 5000 + 1));
    expect(r.positive).toBe(n - 5001);
    expect(r.counts).toEqual([-(n - 2), -(n - 1), -n]);
    expect(r.tooBig).toMatch(
      /the binary kernel would bind a float32 tensor storage of 16385 elements = 65540 bytes .*more than the maxStorageBufferBindingSize .*65536 bytes \(0\.1 MiB\); split it/,
    );
  });
});
