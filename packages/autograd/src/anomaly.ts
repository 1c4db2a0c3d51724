/**
 * Anomaly detection (PyTorch's `torch.autograd.detect_anomaly`): while on, every recorded op
 * remembers where it was called, and a NaN produced in backward throws an error that names the
 * op and that place (an infinite gradient is not an anomaly, as in PyTorch).
 */

let anomaly = false;

/** Whether anomaly detection is on. */
export function isAnomalyEnabled(): boolean {
  return anomaly;
}

/**
 * Turns anomaly detection on or off globally.
 *
 * @example
 * ```ts
 * setDetectAnomaly(true);
 * ```
 */
export function setDetectAnomaly(mode: boolean): void {
  anomaly = mode;
}

/**
 * Runs `fn` with anomaly detection on: ops record their forward call site, and backward throws
 * as soon as a node returns NaN, naming the node and where its forward op was called.
 *
 * @example
 * ```ts
 * detectAnomaly(() => {
 *   const y = x.sqrt().mul(0);  // x contains 0: sqrt's backward computes 0 / 0
 *   y.sum().backward();         // throws: Function 'SqrtBackward0' returned nan values in its 0th output ...
 * });
 * ```
 */
export function detectAnomaly<T>(fn: () => T): T {
  const previous = anomaly;
  anomaly = true;
  try {
    return fn();
  } finally {
    anomaly = previous;
  }
}
