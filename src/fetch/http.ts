/**
 * A small HTTP GET client for archive day files: streams a 200 body to a temp
 * file while hashing it, sends conditional requests, and retries transient
 * failures with exponential backoff and seeded jitter.
 *
 * Retried: 5xx, 429, 408, timeouts (idle and overall deadline), connection
 * errors (reset, refused, ...), broken compressed bodies, and truncated bodies
 * (fewer bytes than Content-Length, a chunked body closed before its last
 * chunk, or, for newline-delimited files, a body whose last line has no
 * newline). Not retried: every other 4xx, a redirect the policy refuses, and
 * local file errors. 404 is an answer, not a failure.
 *
 * A client can stop early: after `unreachableAfter` consecutive attempts that
 * could not connect at all, or when its owner calls `stop()`. A stopped client
 * sends no more requests; `get` then fails at once, saying why.
 *
 * Built on node:http/https rather than fetch so that the timeouts, the
 * truncation checks and the socket pool are explicit.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import zlib from 'node:zlib';
import { createRng, type Rng } from '../lib/random.ts';

/** Validators of a cached copy, sent as If-None-Match / If-Modified-Since. */
interface Validators {
  etag?: string | null;
  lastModified?: string | null;
}

/** A server's answer that is not a failure. */
type Answer =
  | { kind: 'body'; size: number; sha256: string; etag: string | null; lastModified: string | null }
  | { kind: 'not-modified'; etag: string | null; lastModified: string | null }
  | { kind: 'not-found' };

/**
 * What one `get` ended with, after any retries. `stopped` is set when the
 * client was stopped before the request could finish its attempts.
 */
export type GetOutcome = (Answer | { kind: 'failed'; reason: string; stopped?: true }) & { attempts: number };

export interface GetRequest {
  url: string;
  /** Where a 200 body goes; it is fsynced on success and removed on failure. */
  tmpPath: string;
  validators?: Validators;
  /** Seeds the backoff jitter (with the attempt number), e.g. the URL. */
  seed: string;
  /**
   * The body is a newline-delimited file: it is complete only when it ends
   * with a newline, or is empty and the server declared its end
   * (Content-Length: 0, a chunked or a compressed body). Anything else is a
   * truncated body. Default false.
   */
  completeLines?: boolean;
}

export interface HttpClientOptions {
  /** Sockets per host; also the most requests one client has in flight. */
  maxSockets: number;
  maxAttempts: number;
  /** Time allowed to connect, for the response headers, and for each gap between body bytes. */
  timeoutMs: number;
  /** Most time one attempt may take, redirects and the whole body included; default 120000. */
  deadlineMs?: number;
  backoffBaseMs: number;
  /** Upper bound of one backoff delay. */
  backoffMaxMs?: number;
  /**
   * 'any' (default): follow every http(s) redirect. 'same-origin': follow
   * only redirects that stay on the origin (scheme, host and port) of the URL
   * asked for, or that upgrade it from http to https on the same host with
   * the default ports; any other redirect fails, naming its target, and is
   * not retried.
   */
  redirects?: 'any' | 'same-origin';
  /**
   * Stop the client after this many consecutive attempts, across all
   * requests, that could not connect (connection refused, DNS failure, host
   * or network unreachable, connect timeout). Any attempt that reaches a
   * server resets the count. Default: never stop.
   */
  unreachableAfter?: number;
  /** Host name resolution; default the system's (dns.lookup). */
  lookup?: LookupFunction;
  /** Called before each retry with the reason and the delay chosen. */
  onRetry?: (url: string, attempt: number, reason: string, delayMs: number) => void;
}

const MAX_REDIRECTS = 5;
/** The longest wait a server's Retry-After can ask for. */
export const RETRY_AFTER_MAX_MS = 60_000;
const DEFAULT_DEADLINE_MS = 120_000;

/** Error codes of attempts that never reached a server. */
const CONNECT_ERRORS = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NODATA',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
]);

/** True when a request error with this code means the server could not be reached at all. */
export function isConnectError(code: string | undefined): boolean {
  return code !== undefined && CONNECT_ERRORS.has(code);
}

/**
 * A Retry-After header value as a delay in ms: delay-seconds or an HTTP date
 * (relative to `nowMs`), at least 0 and at most RETRY_AFTER_MAX_MS; undefined
 * when the value is neither.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  let ms: number;
  if (/^\d+$/.test(v)) ms = Number(v) * 1000;
  else {
    // HTTP dates name a weekday or a month; this keeps bare numbers like "1.5" out of Date.parse.
    const at = /[a-z]/i.test(v) ? Date.parse(v) : Number.NaN;
    if (!Number.isFinite(at)) return undefined;
    ms = at - nowMs;
  }
  return Math.min(RETRY_AFTER_MAX_MS, Math.max(0, Math.round(ms)));
}

/**
 * True when a redirect from the URL asked for (`from`) to `to` stays on its
 * origin: the same scheme, host and port, or the upgrade from http to https of
 * the same host on the default ports.
 */
export function redirectAllowed(from: URL, to: URL): boolean {
  if (to.origin === from.origin) return true;
  return from.protocol === 'http:' && to.protocol === 'https:' && from.hostname === to.hostname && from.port === '' && to.port === '';
}

/**
 * Delay before retry number `attempt` (1 = after the first failure): half of
 * base * 2^(attempt-1), capped, plus a uniform random half from `rng`. A
 * server's Retry-After, when larger, wins (up to a minute).
 */
export function backoffDelay(baseMs: number, attempt: number, rng: Rng, maxMs = 30_000, retryAfterMs?: number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  const delay = exp / 2 + (rng.next() * exp) / 2;
  return Math.round(retryAfterMs !== undefined ? Math.max(delay, Math.min(retryAfterMs, RETRY_AFTER_MAX_MS)) : delay);
}

/** `connect`: the attempt never reached a server. */
type Attempt = Answer | { kind: 'error'; reason: string; retryable: boolean; retryAfterMs?: number; connect?: boolean };

class Timeout extends Error {
  constructor(
    message: string,
    readonly connect = false,
  ) {
    super(message);
  }
}

/** One keep-alive socket pool per client; `close()` releases the sockets. */
export class HttpClient {
  /** Requests sent, retries and redirects included. */
  requests = 0;
  /** Body bytes written to temp files (after any content decoding). */
  bytes = 0;
  private readonly agents: { http: http.Agent; https: https.Agent };
  private connectFailures = 0;
  private stopReasonText: string | null = null;
  private readonly stopper = new AbortController();

  constructor(private readonly opts: HttpClientOptions) {
    const agentOpts = { keepAlive: true, maxSockets: opts.maxSockets };
    this.agents = { http: new http.Agent(agentOpts), https: new https.Agent(agentOpts) };
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  /** Why the client stopped sending requests, or null while it still sends them. */
  get stopReason(): string | null {
    return this.stopReasonText;
  }

  /**
   * Sends no more requests: pending backoff waits end at once, and every
   * `get` from now on fails without a request. Requests already in flight
   * finish. The first reason given is kept.
   */
  stop(reason: string): void {
    if (this.stopReasonText !== null) return;
    this.stopReasonText = reason;
    this.stopper.abort();
  }

  /** GET with retries. Never throws for network or HTTP failures. */
  async get(req: GetRequest): Promise<GetOutcome> {
    const { maxAttempts, backoffBaseMs, backoffMaxMs, onRetry, unreachableAfter } = this.opts;
    let last: string | null = null;
    for (let attempt = 1; ; attempt++) {
      if (this.stopReasonText !== null) {
        const done = attempt - 1;
        const reason = last === null ? `not requested: ${this.stopReasonText}` : `${last} (after ${plural(done, 'attempt')}); stopped: ${this.stopReasonText}`;
        return { kind: 'failed', reason, stopped: true, attempts: done };
      }
      const r = await this.attempt(new URL(req.url), req, MAX_REDIRECTS, performance.now() + (this.opts.deadlineMs ?? DEFAULT_DEADLINE_MS));
      if (r.kind !== 'error') {
        this.connectFailures = 0;
        return { ...r, attempts: attempt };
      }
      await rm(req.tmpPath, { force: true });
      if (r.connect) {
        this.connectFailures++;
        if (unreachableAfter !== undefined && this.connectFailures >= unreachableAfter) {
          this.stop(`cannot connect to ${new URL(req.url).origin} (${r.reason}, ${this.connectFailures} consecutive attempts)`);
        }
      } else this.connectFailures = 0;
      if (!r.retryable) return { kind: 'failed', reason: `${r.reason} (not retried)`, attempts: attempt };
      if (attempt >= maxAttempts) return { kind: 'failed', reason: `${r.reason} (after ${plural(attempt, 'attempt')})`, attempts: attempt };
      last = r.reason;
      if (this.stopReasonText !== null) continue;
      const delay = backoffDelay(backoffBaseMs, attempt, createRng(`fetch ${req.seed} ${attempt}`), backoffMaxMs, r.retryAfterMs);
      onRetry?.(req.url, attempt, r.reason, delay);
      await sleep(delay, undefined, { signal: this.stopper.signal }).catch(() => {});
    }
  }

  private async attempt(url: URL, req: GetRequest, redirectsLeft: number, deadlineAt: number): Promise<Attempt> {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { kind: 'error', reason: `unsupported URL ${url.href}`, retryable: false };
    }
    const { timeoutMs } = this.opts;
    const deadlineMs = this.opts.deadlineMs ?? DEFAULT_DEADLINE_MS;
    const ac = new AbortController();
    let phase = 'no connection';
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => ac.abort(new Timeout(`timeout: ${phase} for ${timeoutMs} ms`, phase === 'no connection')), timeoutMs);
    };
    let wire = 0;
    const deadline = setTimeout(
      () => ac.abort(new Timeout(`deadline: not complete after ${deadlineMs} ms (${wire} bytes received)`)),
      Math.max(0, deadlineAt - performance.now()),
    );
    const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'telemetry-estimates-fetch' };
    if (req.validators?.etag) headers['if-none-match'] = req.validators.etag;
    if (req.validators?.lastModified) headers['if-modified-since'] = req.validators.lastModified;
    const conditional = 'if-none-match' in headers || 'if-modified-since' in headers;

    let declared: number | null = null;
    let fsError: Error | undefined;
    let decodeError: Error | undefined;
    let encoding = 'identity';
    // True once the framing shows the whole body arrived (a closed connection without Content-Length never does).
    let wireWhole = () => false;
    arm();
    this.requests++;
    const onSocket = (socket: Socket) => {
      if (!socket.connecting) phase = 'no response';
      else socket.once('connect', () => (phase = 'no response'));
    };
    try {
      const agent = url.protocol === 'https:' ? this.agents.https : this.agents.http;
      const res = await request(url, { method: 'GET', headers, agent, signal: ac.signal, lookup: this.opts.lookup }, onSocket);
      const status = res.statusCode ?? 0;
      const etag = header(res, 'etag');
      const lastModified = header(res, 'last-modified');
      if (status !== 200) {
        res.on('error', () => {}); // the body is discarded, so is its failure
        res.resume();
        const location = header(res, 'location');
        if ([301, 302, 303, 307, 308].includes(status) && location !== null) {
          if (redirectsLeft === 0) return { kind: 'error', reason: `too many redirects at ${url.href}`, retryable: false };
          let target: URL;
          try {
            target = new URL(location, url);
          } catch {
            return { kind: 'error', reason: `redirect to an invalid URL from ${url.href}`, retryable: false };
          }
          if (this.opts.redirects === 'same-origin' && !redirectAllowed(new URL(req.url), target)) {
            return { kind: 'error', reason: `redirect to another origin: ${target.href} (from ${url.href}), not followed`, retryable: false };
          }
          clearTimeout(timer);
          clearTimeout(deadline);
          return this.attempt(target, req, redirectsLeft - 1, deadlineAt);
        }
        if (status === 404) return { kind: 'not-found' };
        if (status === 304 && conditional) return { kind: 'not-modified', etag, lastModified };
        const reason = `HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`;
        const retryable = status >= 500 || status === 429 || status === 408;
        const retryAfterMs = parseRetryAfter(header(res, 'retry-after'), Date.now());
        return retryAfterMs !== undefined ? { kind: 'error', reason, retryable, retryAfterMs } : { kind: 'error', reason, retryable };
      }

      encoding = (header(res, 'content-encoding') ?? 'identity').toLowerCase();
      const decoder =
        encoding === 'identity'
          ? null
          : encoding === 'gzip' || encoding === 'x-gzip'
            ? zlib.createGunzip()
            : encoding === 'deflate'
              ? zlib.createInflate()
              : encoding === 'br'
                ? zlib.createBrotliDecompress()
                : undefined;
      if (decoder === undefined) {
        res.destroy();
        return { kind: 'error', reason: `unsupported content-encoding ${encoding}`, retryable: false };
      }
      // The decoder also emits errors it is destroyed with (a reset socket); only its own codes count.
      decoder?.on('error', (e: NodeJS.ErrnoException) => {
        if (/^(Z_|ERR__)/.test(e.code ?? '')) decodeError ??= e;
      });
      const lengthHeader = header(res, 'content-length');
      declared = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
      const chunked = /\bchunked\b/i.test(header(res, 'transfer-encoding') ?? '');
      wireWhole = () => (declared !== null ? wire === declared : chunked && res.complete);

      phase = 'no data';
      const hash = createHash('sha256');
      let size = 0;
      let lastByte = -1;
      const wireMeter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          arm();
          wire += chunk.length;
          cb(null, chunk);
        },
      });
      const hashMeter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          size += chunk.length;
          if (chunk.length > 0) lastByte = chunk[chunk.length - 1]!;
          cb(null, chunk);
        },
      });
      const file = createWriteStream(req.tmpPath);
      file.on('error', (e) => (fsError = e));
      if (decoder) await pipeline(res, wireMeter, decoder, hashMeter, file, { signal: ac.signal });
      else await pipeline(res, wireMeter, hashMeter, file, { signal: ac.signal });
      clearTimeout(timer);
      clearTimeout(deadline);
      if (!res.complete || (declared !== null && wire !== declared)) {
        return { kind: 'error', reason: truncation(wire, declared), retryable: true };
      }
      if (req.completeLines) {
        // A body without Content-Length that ends when the connection closes
        // looks complete however early it ends; its last line tells.
        if (size > 0 && lastByte !== 0x0a) {
          return { kind: 'error', reason: `truncated body: ${size} bytes, the last line has no newline`, retryable: true };
        }
        if (size === 0 && declared !== 0 && !chunked && decoder === null) {
          return { kind: 'error', reason: 'truncated body: empty, without Content-Length', retryable: true };
        }
      }
      try {
        const fh = await open(req.tmpPath, 'r+');
        try {
          await fh.sync();
        } finally {
          await fh.close();
        }
      } catch (e) {
        fsError = e as Error;
        throw e;
      }
      this.bytes += size;
      return { kind: 'body', size, sha256: hash.digest('hex'), etag, lastModified };
    } catch (e) {
      if (fsError) return { kind: 'error', reason: `cannot write ${req.tmpPath}: ${fsError.message}`, retryable: false };
      if (ac.signal.aborted && ac.signal.reason instanceof Timeout) {
        return { kind: 'error', reason: ac.signal.reason.message, retryable: true, connect: ac.signal.reason.connect };
      }
      const err = e as NodeJS.ErrnoException;
      // A decoder that failed on the bytes it got: corrupt data, or a
      // compressed stream that ended early inside a body that arrived whole.
      if (decodeError && (!/unexpected end of file/i.test(decodeError.message) || wireWhole())) {
        return { kind: 'error', reason: `broken ${encodingName(encoding)} body: ${decodeError.message}`, retryable: true };
      }
      if (phase === 'no data') {
        // The socket closed or failed mid-body: a truncated transfer.
        const detail = err.code === 'ECONNRESET' || err.message === 'aborted' ? '' : ` (${err.code ?? err.message})`;
        return { kind: 'error', reason: `${truncation(wire, declared)}${detail}`, retryable: true };
      }
      return { kind: 'error', reason: `network error: ${err.code ?? err.message}`, retryable: true, connect: isConnectError(err.code) };
    } finally {
      clearTimeout(timer);
      clearTimeout(deadline);
    }
  }
}

function request(url: URL, options: http.RequestOptions, onSocket: (socket: Socket) => void): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const get = url.protocol === 'https:' ? https.request : http.request;
    const req = get(url, options, resolve);
    req.on('socket', onSocket);
    req.on('error', reject);
    req.end();
  });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function encodingName(encoding: string): string {
  return encoding === 'x-gzip' ? 'gzip' : encoding === 'br' ? 'brotli' : encoding;
}

function header(res: http.IncomingMessage, name: string): string | null {
  const v = res.headers[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? null) : null;
}

function truncation(received: number, declared: number | null): string {
  return declared !== null ? `truncated body: ${received} of ${declared} bytes` : `truncated body: connection closed after ${received} bytes`;
}
