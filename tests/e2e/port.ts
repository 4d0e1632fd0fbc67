/**
 * A free TCP port on 127.0.0.1, chosen by the system (listen on port 0, read
 * the port, close). The browser tests serve the site on such a port so that
 * two runs on one machine never collide.
 */
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? done(address.port) : fail(new Error('no port assigned'))));
    });
  });
}
