/**
 * A real HTTP server on 127.0.0.1 for the fetch tests. It serves files under
 * `/data/`, answers conditional requests, counts requests and the most in
 * flight at once, and injects faults, consumed one per request (or `always`,
 * for every request without a queued fault).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export type Fault =
  | 'status500' // 500 Internal Server Error
  | 'status503' // 503 Service Unavailable
  | 'status503-retry-after-0' // 503 with Retry-After: 0
  | 'status503-retry-after-date' // 503 with Retry-After as an HTTP date `retryAfterMs` from now
  | 'status429'
  | 'status403' // a permanent error, never retried
  | 'reset' // socket destroyed before any response
  | 'resetMidBody' // headers and half the body, then the socket is destroyed
  | 'slowHeaders' // no response for `slowMs`, then a normal one
  | 'stallBody' // headers and half the body, then silence until the client gives up
  | 'shortBody' // Content-Length larger than the bytes sent, then the socket closes
  | 'chunkedEarlyClose' // chunked body closed before its last chunk
  | 'trickle' // the body 16 KB at a time every 20 ms
  | 'slowTrickle' // Content-Length, then one byte every `trickleMs`
  | 'noLength' // the whole body without Content-Length or chunking, ended by closing the connection
  | 'noLengthCut' // as 'noLength', but the connection closes cleanly in the middle of a line
  | 'brokenGzip'; // Content-Encoding: gzip, right Content-Length, one byte in the middle of the data flipped

interface ServedFile {
  body: Buffer;
  etag?: string;
  lastModified?: string;
  gzip?: boolean;
  /** Answer 302 with this Location instead. */
  redirectTo?: string;
}

export interface TestServer {
  /** `http://127.0.0.1:<port>/data/` */
  baseUrl: string;
  /** Files by name under /data/, e.g. `2024-01-01` or `2024-01-02.json`. */
  files: Map<string, ServedFile>;
  faults: Map<string, Fault[]>;
  /** Every request, in arrival order; `at` is performance.now() on arrival. */
  requests: { name: string; headers: http.IncomingHttpHeaders; status?: number; at: number }[];
  /** A fault applied to every request that has none queued; null for none. */
  always: Fault | null;
  /** What 'status503-retry-after-date' asks for; default 2000. */
  retryAfterMs: number;
  /** The gap between the bytes of 'slowTrickle'; default 50. */
  trickleMs: number;
  inFlight: number;
  maxInFlight: number;
  /** Delay added before every response (used to make requests overlap). */
  delayMs: number;
  /** How long 'slowHeaders' waits. */
  slowMs: number;
  /** Requests for `name` (all when omitted). */
  count(name?: string): number;
  resetCounts(): void;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const state = {
    files: new Map<string, ServedFile>(),
    faults: new Map<string, Fault[]>(),
    requests: [] as TestServer['requests'],
    inFlight: 0,
    maxInFlight: 0,
    delayMs: 0,
    slowMs: 1000,
    always: null as Fault | null,
    retryAfterMs: 2000,
    trickleMs: 50,
  };
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const name = decodeURIComponent(url.pathname.replace(/^\/data\//, ''));
    const record: TestServer['requests'][number] = { name, headers: req.headers, at: performance.now() };
    state.requests.push(record);
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    res.on('close', () => state.inFlight--);
    const fault = state.faults.get(name)?.shift() ?? state.always ?? undefined;
    const respond = () => {
      if (res.destroyed) return;
      serve(name, fault, req, res, record);
    };
    if (fault === 'slowHeaders') later(state.slowMs, respond);
    else if (state.delayMs > 0) later(state.delayMs, respond);
    else respond();
  });

  function serve(name: string, fault: Fault | undefined, req: http.IncomingMessage, res: http.ServerResponse, record: { status?: number }) {
    const status = (code: number, headers: http.OutgoingHttpHeaders = {}) => {
      record.status = code;
      res.writeHead(code, headers);
      res.end();
    };
    switch (fault) {
      case 'status500':
        return status(500);
      case 'status503':
        return status(503);
      case 'status503-retry-after-date':
        return status(503, { 'retry-after': new Date(Date.now() + state.retryAfterMs).toUTCString() });
      case 'status503-retry-after-0':
        return status(503, { 'retry-after': '0' });
      case 'status429':
        return status(429);
      case 'status403':
        return status(403);
      case 'reset':
        return req.socket.destroy();
    }
    const file = state.files.get(name);
    if (!file) return status(404, { 'content-type': 'text/plain' });
    if (file.redirectTo) return status(302, { location: file.redirectTo });
    const validators: http.OutgoingHttpHeaders = {};
    if (file.etag) validators.etag = file.etag;
    if (file.lastModified) validators['last-modified'] = file.lastModified;
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    if (inm !== undefined ? inm === file.etag : ims !== undefined && file.lastModified !== undefined && Date.parse(ims) >= Date.parse(file.lastModified)) {
      return status(304, validators);
    }
    let body = file.gzip || fault === 'brokenGzip' ? gzipSync(file.body) : file.body;
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'text/plain; charset=utf-8', ...validators };
    if (file.gzip || fault === 'brokenGzip') headers['content-encoding'] = 'gzip';
    record.status = 200;
    const half = body.subarray(0, Math.floor(body.length / 2));
    // A response framed by closing the connection, which node's server never sends on its own.
    const closeDelimited = (data: Buffer) => {
      const head = Object.entries(headers)
        .map(([k, v]) => `${k}: ${String(v)}\r\n`)
        .join('');
      req.socket.write(`HTTP/1.1 200 OK\r\n${head}connection: close\r\n\r\n`);
      req.socket.end(data);
    };
    switch (fault) {
      case 'noLength':
        return closeDelimited(body);
      case 'noLengthCut': {
        let cut = Math.floor(body.length / 2);
        while (cut > 1 && body[cut - 1] === 0x0a) cut--;
        return closeDelimited(body.subarray(0, cut));
      }
      case 'brokenGzip':
        body = Buffer.from(body);
        body[Math.floor(body.length / 2)]! ^= 0xff;
        break;
      case 'slowTrickle': {
        res.writeHead(200, { ...headers, 'content-length': body.length });
        let off = 0;
        const step = () => {
          if (res.destroyed) return;
          const chunk = body.subarray(off, off + 1);
          off += chunk.length;
          if (off >= body.length) res.end(chunk);
          else res.write(chunk, () => later(state.trickleMs, step));
        };
        return step();
      }
      case 'resetMidBody':
        res.writeHead(200, { ...headers, 'content-length': body.length });
        return res.write(half, () => later(20, () => req.socket.destroy()));
      case 'stallBody':
        res.writeHead(200, { ...headers, 'content-length': body.length });
        return res.write(half);
      case 'shortBody':
        res.writeHead(200, { ...headers, 'content-length': body.length + 100 });
        return res.write(body, () => later(20, () => req.socket.destroy()));
      case 'chunkedEarlyClose':
        res.writeHead(200, headers); // no length: chunked
        return res.write(half, () => later(20, () => req.socket.destroy()));
      case 'trickle': {
        res.writeHead(200, { ...headers, 'content-length': body.length });
        let off = 0;
        const step = () => {
          if (res.destroyed) return;
          const chunk = body.subarray(off, off + 16 * 1024);
          off += chunk.length;
          if (off >= body.length) res.end(chunk);
          else res.write(chunk, () => later(20, step));
        };
        return step();
      }
    }
    res.writeHead(200, { ...headers, 'content-length': body.length });
    res.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const api: TestServer = {
    baseUrl: `http://127.0.0.1:${port}/data/`,
    files: state.files,
    faults: state.faults,
    get requests() {
      return state.requests;
    },
    get inFlight() {
      return state.inFlight;
    },
    get maxInFlight() {
      return state.maxInFlight;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(v) {
      state.delayMs = v;
    },
    get slowMs() {
      return state.slowMs;
    },
    set slowMs(v) {
      state.slowMs = v;
    },
    get always() {
      return state.always;
    },
    set always(v) {
      state.always = v;
    },
    get retryAfterMs() {
      return state.retryAfterMs;
    },
    set retryAfterMs(v) {
      state.retryAfterMs = v;
    },
    get trickleMs() {
      return state.trickleMs;
    },
    set trickleMs(v) {
      state.trickleMs = v;
    },
    count: (name) => (name === undefined ? state.requests.length : state.requests.filter((r) => r.name === name).length),
    resetCounts() {
      state.requests = [];
      state.maxInFlight = state.inFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return api;
}

/** A day file body: `n` JSON lines, distinct per (day, version). */
export function dayBody(day: string, n = 3, version = 1): Buffer {
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify({ Week: day, X: (i + 1) / (n + 1), v: version, Programs: [] }));
  return Buffer.from(`${lines.join('\n')}\n`);
}
