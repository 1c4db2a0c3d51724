/**
 * How the CLI shows an evaluation (the evaluation itself is @gd/trainer's `evaluate`).
 */

/**
 * The confusion matrix as aligned text: rows are true classes, columns predictions.
 *
 * @example
 * ```ts
 * console.log(formatConfusion(evaluation.confusion));
 * ```
 */
export function formatConfusion(confusion: readonly (readonly number[])[]): string {
  const width = Math.max(4, ...confusion.flat().map((v) => String(v).length + 1));
  const pad = (s: string) => s.padStart(width);
  const lines = [`${'true\\pred'.padEnd(10)}${confusion.map((_, i) => pad(String(i))).join('')}`];
  confusion.forEach((row, i) => {
    lines.push(`${String(i).padEnd(10)}${row.map((v) => pad(String(v))).join('')}`);
  });
  return lines.join('\n');
}

/**
 * Formats a fraction as a percentage with two decimals.
 *
 * @example
 * ```ts
 * percent(0.97512); // '97.51%'
 * ```
 */
export function percent(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}
