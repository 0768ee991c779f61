/**
 * The work a listener does after its ack, a bounded number at a time. Under a burst of commands the acks (cheap)
 * are not queued behind the work of earlier ones on the event loop; the rest of that work waits its turn, in order.
 */
export type AfterAck = <T>(work: () => Promise<T>) => Promise<T>;

export function createAfterAck(limit: number): AfterAck {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    if (running < limit) running += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, so a newcomer cannot slip in between.
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}
