/**
 * Grad modes: whether ops record a graph. Like PyTorch's `torch.no_grad()`, but as functions
 * that run a callback, since JavaScript has no `with`.
 */

let enabled = true;

/**
 * Whether ops currently record the graph for backward.
 *
 * @example
 * ```ts
 * isGradEnabled(); // true
 * noGrad(() => isGradEnabled()); // false
 * ```
 */
export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Switches graph recording on or off globally (PyTorch's `torch.set_grad_enabled`). Prefer
 * {@link noGrad} / {@link enableGrad}, which restore the previous mode.
 *
 * @example
 * ```ts
 * setGradEnabled(false);
 * const y = model.forward(x); // no graph
 * setGradEnabled(true);
 * ```
 */
export function setGradEnabled(mode: boolean): void {
  enabled = mode;
}

function withMode<T>(mode: boolean, name: string, fn: () => T): T {
  const previous = enabled;
  enabled = mode;
  let result: T;
  try {
    result = fn();
  } finally {
    enabled = previous;
  }
  if (result instanceof Promise) {
    throw new TypeError(
      `${name}(fn): fn returned a Promise, but the grad mode is restored as soon as fn returns, so code after its first await would run in the wrong mode. Keep fn synchronous, or call setGradEnabled() around async code.`,
    );
  }
  return result;
}

/**
 * Runs `fn` without recording a graph: results have no `gradFn` and save nothing for backward
 * (PyTorch's `with torch.no_grad():`). Returns fn's result.
 *
 * @example
 * ```ts
 * noGrad(() => {
 *   for (const p of model.parameters()) p.sub_(p.grad!.mul(lr));
 * });
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  return withMode(false, 'noGrad', fn);
}

/**
 * Runs `fn` with graph recording on, even inside {@link noGrad} (PyTorch's `torch.enable_grad()`).
 *
 * @example
 * ```ts
 * noGrad(() => enableGrad(() => x.mul(2))).requiresGrad; // true
 * ```
 */
export function enableGrad<T>(fn: () => T): T {
  return withMode(true, 'enableGrad', fn);
}
