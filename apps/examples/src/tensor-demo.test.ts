import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { leastSquaresDemo } from './tensor-demo.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('tensor demo', () => {
  it('recovers the true weights of the least-squares problem', () => {
    const r = leastSquaresDemo();
    r.wFitted.forEach((v, i) => expect(Math.abs(v - r.wTrue[i]!)).toBeLessThan(0.02));
    expect(r.finalLoss).toBeLessThan(r.initialLoss / 10);
  });

  it('runs as a process and writes its result where it says', () => {
    const out = mkdtempSync(join(tmpdir(), 'gd-demo-'));
    const script = resolve(here, '../dist/tensor-demo.js');
    const stdout = execFileSync(process.execPath, [script, out], { encoding: 'utf8' });
    const file = join(out, 'result.json');
    expect(stdout).toContain(`Outputs: ${file}`);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { wFitted: number[] };
    expect(saved.wFitted).toHaveLength(3);
  });
});
