import { describe, expect, it } from 'vitest';
import { BusyPoll } from './busy-poll.js';

/** Lets the event loop run `n` turns (each BusyPoll turn is one immediate). */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

describe('BusyPoll', () => {
  it('keeps the loop turning for its window after the last touch, then lets it sleep', async () => {
    let clock = 0;
    const poll = new BusyPoll(1000, () => clock);
    expect(poll.active).toBe(false);
    poll.touch();
    expect(poll.active).toBe(true);
    await turns(3);
    clock = 0.6;
    await turns(3);
    expect(poll.active).toBe(true);
    // A touch in the window restarts it from the next turn: open until 1.6 ms now.
    poll.touch();
    await turns(2);
    clock = 1.3;
    await turns(3);
    expect(poll.active).toBe(true);
    clock = 1.7;
    await turns(3);
    expect(poll.active).toBe(false);
    // And it opens again on the next answer.
    poll.touch();
    expect(poll.active).toBe(true);
    await turns(2);
    expect(poll.active).toBe(true);
    clock = 2.8;
    await turns(3);
    expect(poll.active).toBe(false);
  });

  it('does nothing with a window of 0, and stops for good when closed', async () => {
    const off = new BusyPoll(0, () => 0);
    off.touch();
    expect(off.active).toBe(false);
    const poll = new BusyPoll(1000, () => 0);
    poll.touch();
    await turns(2);
    expect(poll.active).toBe(true);
    poll.close();
    await turns(2);
    expect(poll.active).toBe(false);
    poll.touch();
    expect(poll.active).toBe(false);
  });

  it('refuses a window that is negative or not a number', () => {
    expect(() => new BusyPoll(-1)).toThrow(/busy poll window: expected microseconds >= 0, got -1/);
    expect(() => new BusyPoll(Number.NaN)).toThrow(/got NaN/);
  });
});
