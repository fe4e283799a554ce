import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_RESENDS, SendQueue, type DropReason } from '../src/cytube/send-queue.js';
import { Antiflood, CHANNEL_ANTIFLOOD } from '../testing/antiflood.js';

describe('send queue', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('never trips CyTube channel antiflood (burst 4, 1/s, cooldown 4 s) with the default pacing, over bursts and pauses', async () => {
    const server = new Antiflood(CHANNEL_ANTIFLOOD, () => Date.now());
    const sent: string[] = [];
    let droppedByServer = 0;
    const q = new SendQueue<string>(
      { burst: 3, sustained: 0.8, cooldownMs: 5000, maxQueue: 1000 },
      (t) => {
        if (server.throttle()) droppedByServer++;
        else sent.push(t);
        return true;
      },
      () => {},
    );
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 20; i++) q.push(`r${round}-${i}`);
      await vi.advanceTimersByTimeAsync(30_000);
      await vi.advanceTimersByTimeAsync(round * 1700); // quiet gaps shorter and longer than the cooldown
    }
    expect(droppedByServer).toBe(0);
    expect(sent).toHaveLength(100);
    expect(sent[0]).toBe('r0-0');
    q.stop();
  });

  it('drops and reports what does not fit, and what is waiting when the connection goes', () => {
    const drops: DropReason[] = [];
    const q = new SendQueue<string>({ burst: 1, sustained: 1, cooldownMs: 1000, maxQueue: 2 }, () => true, (r) => drops.push(r));
    expect(q.push('a')).toBe(true); // nothing leaves before the timer fires
    expect(q.push('b')).toBe(true);
    expect(q.push('c')).toBe(false);
    q.clear();
    expect(drops).toEqual(['queue-full', 'not-connected', 'not-connected']);
    q.stop();
  });

  it('after a refusal, waits the cooldown the server named, re-sends the refused line in its place, and never bursts into the limit again', async () => {
    // The channel: burst 4, then 1/s, burst back after 4 s of silence. The queue is set faster: 3, then 10/s, 0.5 s.
    const server = new Antiflood(CHANNEL_ANTIFLOOD, () => Date.now());
    const delivered: string[] = [];
    const sendTimes: number[] = [];
    let refusals = 0;
    const q: SendQueue<string> = new SendQueue<string>(
      { burst: 3, sustained: 10, cooldownMs: 500, maxQueue: 100 },
      (t) => {
        sendTimes.push(Date.now());
        // The server's answer comes back a moment later, as over a socket.
        if (server.throttle()) {
          refusals++;
          setTimeout(() => q.refused(1000), 2);
        } else {
          delivered.push(t);
          setTimeout(() => q.settle((x) => x === t), 2);
        }
        return true;
      },
      () => {},
    );
    for (let i = 0; i < 12; i++) q.push(`line ${i}`);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(delivered).toEqual(Array.from({ length: 12 }, (_, i) => `line ${i}`));
    expect(refusals).toBe(1); // the first overrun teaches the queue the channel's pace
    const afterPause = sendTimes.slice(5);
    expect(new Set(afterPause).size).toBe(afterPause.length); // never two lines in the same millisecond again
    q.stop();
  });

  it('gives up on a line the server keeps refusing, and says so', async () => {
    const drops: DropReason[] = [];
    let sends = 0;
    const q: SendQueue<string> = new SendQueue<string>(
      { burst: 5, sustained: 10, cooldownMs: 100, maxQueue: 10 },
      () => {
        sends++;
        setTimeout(() => q.refused(100), 1);
        return true;
      },
      (r) => drops.push(r),
    );
    q.push('never');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sends).toBe(MAX_RESENDS + 1);
    expect(drops).toEqual(['refused']);
    q.stop();
  });
});
