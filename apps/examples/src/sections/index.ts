/**
 * The lecture's sections, in order, each loaded only when it runs.
 */
import type { Section } from './common.js';

/**
 * Every runnable section of the lecture.
 *
 * @example
 * ```ts
 * SECTIONS.map((s) => s.name); // ['01-one-dimensional', ..., '06-gradient-descent']
 * ```
 */
export const SECTIONS: readonly Section[] = [
  {
    name: '01-one-dimensional',
    title: 'One-Dimensional Examples',
    summary:
      "f'(0) = -2 for x² - 2x + 1 with gradient arrows; sin(5x)·exp(-x²/2) and its derivative",
    load: () => import('./01-one-dimensional.js'),
  },
  {
    name: '02-pitfalls',
    title: 'Common Pitfalls in Gradient Computation',
    summary:
      'the six pitfalls as PyTorch really behaves (errors caught and printed); the graph figure',
    load: () => import('./02-pitfalls.js'),
  },
  {
    name: '03-least-squares',
    title: 'Revisiting Least Squares',
    summary: 'autograd gradient vs X^T(Xw - y)/n with seed 42; fitting w; the least-squares graph',
    load: () => import('./03-least-squares.js'),
  },
  {
    name: '04-complex-losses',
    title: 'Complex Loss Functions',
    summary:
      'the sinusoid temperature fit with λ‖θ‖² and regularised logistic regression on spam-like data',
    load: () => import('./04-complex-losses.js'),
  },
  {
    name: '05-architectures',
    title: 'Neural Network Architectures',
    summary: 'feedforward, deep and residual networks; activation functions; parameter counts',
    load: () => import('./05-architectures.js'),
  },
  {
    name: '06-gradient-descent',
    title: 'Implementing Gradient Descent',
    summary:
      'basic GD vs momentum vs cosine schedule; learning-rate sweep; gradient norms and clipping',
    load: () => import('./06-gradient-descent.js'),
  },
];

/**
 * The section called `name`, or whose name starts with it (`01`, `01-one`); undefined when none
 * or several match.
 *
 * @example
 * ```ts
 * findSection('03')?.name; // '03-least-squares'
 * ```
 */
export function findSection(name: string): Section | undefined {
  const exact = SECTIONS.find((s) => s.name === name);
  if (exact) return exact;
  const matches = SECTIONS.filter((s) => s.name.startsWith(name));
  return matches.length === 1 ? matches[0] : undefined;
}
