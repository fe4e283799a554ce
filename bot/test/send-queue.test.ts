import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SendQueue, type DropReason } from '../src/cytube/send-queue.js';
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

  it('holds everything back after a server cooldown notice', async () => {
    const sent: string[] = [];
    const q = new SendQueue<string>({ burst: 5, sustained: 10, cooldownMs: 100, maxQueue: 10 }, (t) => sent.push(t) > 0, () => {});
    q.pause(2000);
    q.push('later');
    await vi.advanceTimersByTimeAsync(1900);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(sent).toEqual(['later']);
    q.stop();
  });
});
