/**
 * Pictures of the computation graph, like the lecture's figure: `toDot` writes Graphviz DOT
 * (leaves in blue, ops in grey, saved tensors in orange, outputs in green, arrows in the
 * direction gradients flow), and `renderSvg` lays it out with Graphviz compiled to
 * WebAssembly (@viz-js/viz), in Node and in browsers. An entry point of its own,
 * `@gd/autograd/graph` (what torchviz is to PyTorch), so that a page without pictures of the
 * graph does not load it.
 *
 * @example
 * ```ts
 * import { tensor } from '@gd/autograd';
 * import { renderSvg, toDot } from '@gd/autograd/graph';
 *
 * const x = tensor([2.0], { requiresGrad: true });
 * const y = x.mul(x).add(1);
 * console.log(toDot(y).startsWith('digraph')); // true
 * const svg = await renderSvg(y); // an <svg> element's markup
 * ```
 *
 * @packageDocumentation
 */
import type { Node } from './node.js';
import { AccumulateGrad } from './node.js';
import { OpNode } from './function.js';
import type { Tensor } from './tensor.js';

/** Options of {@link toDot}. */
export interface DotOptions {
  /** Names for tensors (leaves, outputs), shown in their boxes, e.g. `{ w, X }` style pairs. */
  names?: Map<Tensor, string> | Record<string, Tensor>;
  /** Show the tensors each op saved for backward (default true). */
  showSaved?: boolean;
  /** Graph title. */
  title?: string;
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function describe(t: Tensor): string {
  return `[${t.shape.join(', ')}] ${t.dtype}`;
}

function nameMap(names: DotOptions['names']): Map<Tensor, string> {
  if (!names) return new Map();
  if (names instanceof Map) return names;
  return new Map(Object.entries(names).map(([k, v]) => [v, k]));
}

/**
 * The graph behind `roots` as Graphviz DOT text.
 *
 * @example
 * ```ts
 * const loss = X.matmul(w).sub(y).pow(2).mean();
 * writeFileSync('graph.dot', toDot(loss, { names: { X, w, y, loss } }));
 * ```
 */
export function toDot(roots: Tensor | readonly Tensor[], options: DotOptions = {}): string {
  const outs = Array.isArray(roots) ? (roots as readonly Tensor[]) : [roots as Tensor];
  const names = nameMap(options.names);
  const showSaved = options.showSaved ?? true;
  const ids = new Map<object, string>();
  const id = (o: object): string => {
    let v = ids.get(o);
    if (!v) {
      v = `n${ids.size}`;
      ids.set(o, v);
    }
    return v;
  };
  const lines: string[] = [
    'digraph gd {',
    '  graph [rankdir=TB, fontname="Helvetica", fontsize=12' +
      (options.title ? `, label=${quote(options.title)}, labelloc=t` : '') +
      '];',
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, fillcolor="#e8e8e8"];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  const seen = new Set<Node>();
  const stack: Node[] = [];
  for (const out of outs) {
    const label = `${names.get(out) ?? 'output'}\n${describe(out)}`;
    lines.push(`  ${id(out)} [label=${quote(label)}, fillcolor="#b7e4a8"];`);
    if (out.gradFn) {
      lines.push(`  ${id(out)} -> ${id(out.gradFn)} [color="#555555"];`);
      stack.push(out.gradFn);
    } else if (out.requiresGrad) {
      lines.push(`  ${id(out)} [fillcolor="#a8c8f0"];`);
    }
  }
  while (stack.length) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    if (node instanceof AccumulateGrad) {
      const v = node.variable;
      const label = `${names.get(v) ?? 'leaf'}\n${describe(v)}\nAccumulateGrad`;
      lines.push(`  ${id(node)} [label=${quote(label)}, fillcolor="#a8c8f0"];`);
      continue;
    }
    lines.push(`  ${id(node)} [label=${quote(node.name)}];`);
    if (showSaved && node instanceof OpNode) {
      for (const t of node.savedTensors()) {
        const sid = `${id(node)}_s${id(t)}`;
        const savedName = names.get(t);
        const label = `${savedName ? `saved ${savedName}` : 'saved'}\n${describe(t)}`;
        lines.push(
          `  ${sid} [label=${quote(label)}, shape=ellipse, fillcolor="#f7c99b", fontsize=9];`,
        );
        lines.push(`  ${sid} -> ${id(node)} [style=dashed, arrowhead=none, color="#d08040"];`);
      }
    }
    // Arrows point the way gradients flow: from this node to the nodes of its inputs.
    for (const next of node.next) {
      if (!next) continue;
      lines.push(`  ${id(node)} -> ${id(next)} [color="#555555"];`);
      if (!seen.has(next)) stack.push(next);
    }
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

let vizInstance:
  Promise<{ renderString(src: string, options: { format: string }): string }> | undefined;

/**
 * Renders DOT text (or the graph behind a tensor) to SVG with Graphviz (WebAssembly; no
 * network, no native binary).
 *
 * @example
 * ```ts
 * const svg = await renderSvg(loss, { names: { w, X } });
 * writeFileSync('graph.svg', svg);
 * ```
 */
export async function renderSvg(
  graph: string | Tensor | readonly Tensor[],
  options: DotOptions = {},
): Promise<string> {
  const dot = typeof graph === 'string' ? graph : toDot(graph, options);
  vizInstance ??= import('@viz-js/viz').then((m) => m.instance());
  const viz = await vizInstance;
  return viz.renderString(dot, { format: 'svg' });
}
