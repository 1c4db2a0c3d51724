import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { barChart, heatmap, imageGrid, lineChart, toSvg, writePng } from './index.js';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];

describe('@gd/plot', () => {
  it('renders a line chart to SVG with its title, axis titles and series names', async () => {
    const svg = await toSvg(
      lineChart({
        title: 'loss curve',
        x: 'epoch',
        y: 'loss',
        series: {
          train: [3, 2, 1],
          val: [
            [0, 3.5],
            [2, 1.5],
          ],
        },
      }),
    );
    for (const text of ['loss curve', 'epoch', 'loss', 'train', 'val']) expect(svg).toContain(text);
  });

  it('writes PNG files (line, image grid, heatmap, bars) that start with the PNG signature', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gd-plot-'));
    const digit = Array.from({ length: 28 * 28 }, (_, i) => (i % 29 === 0 ? 255 : 0));
    const specs = {
      line: lineChart({ series: { a: [1, 2, 3] }, logY: true }),
      grid: imageGrid({ images: [digit, digit], height: 28, width: 28, captions: ['a', 'b'] }),
      weights: imageGrid({
        images: [digit.map((v) => v - 100)],
        height: 28,
        width: 28,
        scheme: 'redblue',
      }),
      heat: heatmap({
        matrix: [
          [5, 1],
          [0, 7],
        ],
        labels: ['0', '1'],
        rowLabel: 'true',
        columnLabel: 'predicted',
      }),
      bars: barChart({ bars: { logistic: 0.92, deep: 0.98 }, y: 'accuracy' }),
    };
    for (const [name, spec] of Object.entries(specs)) {
      const path = await writePng(spec, join(dir, `${name}.png`));
      const bytes = readFileSync(path);
      expect(Array.from(bytes.subarray(0, 4))).toEqual(PNG_MAGIC);
      expect(bytes.length).toBeGreaterThan(1000);
    }
  });

  it('puts the value of each cell in a heatmap', async () => {
    const svg = await toSvg(
      heatmap({
        matrix: [
          [12, 3],
          [4, 56],
        ],
      }),
    );
    for (const v of ['12', '3', '4', '56']) expect(svg).toContain(`>${v}<`);
  });
});
