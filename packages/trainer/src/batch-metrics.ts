/**
 * The running loss and accuracy of an epoch. On a CPU backend each batch's loss is read as it
 * comes (the NaN guard stops at the exact step). On a device backend (WebGPU) reading a value
 * waits for the GPU to finish everything queued, so the sums stay on the device and are read
 * once per trace point: the GPU is not stalled every step, and the guard stops at the next
 * trace point instead.
 */
import type { Tensor } from '@gd/autograd';
import { noGrad } from '@gd/autograd';

/** Sums of one epoch's batches. */
export class BatchMetrics {
  /** Sum of loss × batch size over the batches read so far. */
  lossSum = 0;
  /** Correct predictions so far. */
  correct = 0;
  /** Images so far. */
  seen = 0;
  private traceSum = 0;
  private traceCount = 0;
  // Device-side sums of the batches not read yet (deferred mode).
  private pendingLoss: Tensor | null = null;
  private pendingWeighted: Tensor | null = null;
  private pendingCorrect: Tensor | null = null;
  private pendingImages = 0;

  constructor(
    /** Keep the sums on the device and read them only at trace points. */
    readonly deferred: boolean,
  ) {}

  /**
   * Adds a batch's loss (before backward). Returns its value when it was read now, or null
   * when it stays on the device until the next {@link BatchMetrics.trace}.
   */
  addLoss(loss: Tensor, batchSize: number): number | null {
    if (!this.deferred) {
      const value = loss.item();
      this.lossSum += value * batchSize;
      this.seen += batchSize;
      this.traceSum += value;
      this.traceCount += 1;
      return value;
    }
    noGrad(() => {
      const l = loss.detach();
      this.pendingLoss = this.pendingLoss ? this.pendingLoss.add(l) : l;
      const w = l.mul(batchSize);
      this.pendingWeighted = this.pendingWeighted ? this.pendingWeighted.add(w) : w;
    });
    this.pendingImages += batchSize;
    this.traceCount += 1;
    return null;
  }

  /** Adds a batch's correct predictions. */
  addCorrect(logits: Tensor, labels: Tensor): void {
    noGrad(() => {
      const hits = logits.argmax(1).eq(labels).sum();
      if (!this.deferred) this.correct += hits.item();
      else this.pendingCorrect = this.pendingCorrect ? this.pendingCorrect.add(hits) : hits;
    });
  }

  /**
   * The mean loss of the batches since the last trace point (reading the device sums, in
   * deferred mode), and starts the next one.
   */
  trace(): number {
    if (this.deferred) this.readPending();
    const mean = this.traceSum / this.traceCount;
    this.traceSum = 0;
    this.traceCount = 0;
    return mean;
  }

  private readPending(): void {
    if (this.pendingLoss) this.traceSum += this.pendingLoss.item();
    if (this.pendingWeighted) this.lossSum += this.pendingWeighted.item();
    if (this.pendingCorrect) this.correct += this.pendingCorrect.item();
    this.seen += this.pendingImages;
    this.pendingLoss = this.pendingWeighted = this.pendingCorrect = null;
    this.pendingImages = 0;
  }
}
