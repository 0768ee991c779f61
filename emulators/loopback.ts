import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';

/** Listens on 127.0.0.1 only (port 0: a spare one) and resolves with the port taken. */
export function listenOnLoopback(
  server: Pick<Server, 'once' | 'off' | 'listen' | 'address'>,
  port = 0,
): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** A port free on 127.0.0.1 right now, for a process that must be told its port before it starts. */
export async function sparePort(): Promise<number> {
  const probe = createServer();
  const port = await listenOnLoopback(probe);
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
