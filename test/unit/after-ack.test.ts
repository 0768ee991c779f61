import { describe, expect, it } from 'vitest';
import { createAfterAck } from '../../commands/after-ack.js';

describe('work after the ack', () => {
  it('when more work arrives than the limit, then at most that many run at once, the rest start in arrival order, and a failure frees its slot', async () => {
    const afterAck = createAfterAck(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const job = (i: number) => async () => {
      started.push(i);
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      if (i === 1) throw new Error('boom');
      return i;
    };
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map((i) => afterAck(job(i))));
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
  });
});
