import { describe, expect, it } from 'vitest';
import { manualSeed, noGrad, randn, tensor, zeros } from './index.js';
import { renderSvg, toDot } from './graph.js';

function leastSquares() {
  manualSeed(42);
  const X = randn([8, 3]);
  const y = randn([8]);
  const w = zeros(3, { requiresGrad: true });
  const loss = X.matmul(w).sub(y).pow(2).mean().mul(0.5);
  return { X, y, w, loss };
}

describe('toDot', () => {
  it('draws leaves, ops, saved tensors and the output, with gradient-flow edges', () => {
    const { X, y, w, loss } = leastSquares();
    const dot = toDot(loss, { names: { X, y, w, loss } });
    expect(dot.startsWith('digraph gd {')).toBe(true);
    for (const op of [
      'MulBackward0',
      'MeanBackward0',
      'PowBackward0',
      'SubBackward0',
      'MmBackward0',
    ])
      expect(dot).toContain(op);
    expect(dot).toMatch(/"w\\n\[3\] float32\\nAccumulateGrad"/);
    expect(dot).toMatch(/"loss\\n\[\] float32"/);
    // X is saved by the matmul (it is needed for w's gradient); y requires no grad, so no leaf box.
    expect(dot).toMatch(/saved X\\n\[8, 3\] float32/);
    expect(dot).not.toMatch(/"y\\n\[8\] float32\\nAccumulateGrad"/);
    // Every op box has an edge toward the node of its input: count edges from MulBackward0's id.
    const mulId = /(n\d+) \[label="MulBackward0"\]/.exec(dot)![1]!;
    expect(dot).toMatch(new RegExp(`${mulId} -> n\\d+ \\[color`));
  });

  it('omits saved tensors once backward has freed them, and on request', () => {
    const { loss } = leastSquares();
    expect(toDot(loss)).toContain('saved');
    expect(toDot(loss, { showSaved: false })).not.toContain('saved');
    loss.backward();
    expect(toDot(loss)).not.toContain('saved');
  });

  it('draws a lone leaf and a result computed without a graph', () => {
    const x = tensor([1.0], { requiresGrad: true });
    expect(toDot(x, { names: { x } })).toContain('fillcolor="#a8c8f0"');
    const y = noGrad(() => x.mul(2));
    expect(toDot(y)).not.toContain('Backward');
  });
});

describe('renderSvg', () => {
  it('lays the graph out as SVG with Graphviz (WebAssembly)', async () => {
    const { X, y, w, loss } = leastSquares();
    const svg = await renderSvg(loss, { names: { X, y, w, loss }, title: 'least squares' });
    expect(svg).toContain('<svg');
    expect(svg).toContain('MmBackward0');
    expect(svg).toContain('least squares');
    const again = await renderSvg('digraph { a -> b }');
    expect(again).toContain('<svg');
  });
});
