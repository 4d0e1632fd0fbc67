/**
 * A small HTTP GET client for archive day files: streams a 200 body to a temp
 * file while hashing it, sends conditional requests, and retries transient
 * failures with exponential backoff and seeded jitter.
 *
 * Retried: 5xx, 429, 408, timeouts, connection errors (reset, refused, ...),
 * and truncated bodies (fewer bytes than Content-Length, or a chunked body
 * closed before its last chunk). Not retried: every other 4xx and local file
 * errors. 404 is an answer, not a failure.
 *
 * Built on node:http/https rather than fetch so that the idle timeout, the
 * truncation checks and the socket pool are explicit.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { createRng, type Rng } from '../lib/random.ts';

/** Validators of a cached copy, sent as If-None-Match / If-Modified-Since. */
export interface Validators {
  etag?: string | null;
  lastModified?: string | null;
}

/** A server's answer that is not a failure. */
export type Answer =
  | { kind: 'body'; size: number; sha256: string; etag: string | null; lastModified: string | null }
  | { kind: 'not-modified'; etag: string | null; lastModified: string | null }
  | { kind: 'not-found' };

/** What one `get` ended with, after any retries. */
export type GetOutcome = (Answer | { kind: 'failed'; reason: string }) & { attempts: number };

export interface GetRequest {
  url: string;
  /** Where a 200 body goes; it is fsynced on success and removed on failure. */
  tmpPath: string;
  validators?: Validators;
  /** Seeds the backoff jitter (with the attempt number), e.g. the URL. */
  seed: string;
}

export interface HttpClientOptions {
  /** Sockets per host; also the most requests one client has in flight. */
  maxSockets: number;
  maxAttempts: number;
  /** Time allowed for the response headers, and for each gap between body bytes. */
  timeoutMs: number;
  backoffBaseMs: number;
  /** Upper bound of one backoff delay. */
  backoffMaxMs?: number;
  /** Called before each retry with the reason and the delay chosen. */
  onRetry?: (url: string, attempt: number, reason: string, delayMs: number) => void;
}

const MAX_REDIRECTS = 5;
const RETRY_AFTER_MAX_MS = 60_000;

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

type Attempt = Answer | { kind: 'error'; reason: string; retryable: boolean; retryAfterMs?: number };

class Timeout extends Error {}

/** One keep-alive socket pool per client; `close()` releases the sockets. */
export class HttpClient {
  /** Requests sent, retries and redirects included. */
  requests = 0;
  /** Body bytes written to temp files (after any content decoding). */
  bytes = 0;
  private readonly agents: { http: http.Agent; https: https.Agent };

  constructor(private readonly opts: HttpClientOptions) {
    const agentOpts = { keepAlive: true, maxSockets: opts.maxSockets };
    this.agents = { http: new http.Agent(agentOpts), https: new https.Agent(agentOpts) };
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  /** GET with retries. Never throws for network or HTTP failures. */
  async get(req: GetRequest): Promise<GetOutcome> {
    const { maxAttempts, backoffBaseMs, backoffMaxMs, onRetry } = this.opts;
    for (let attempt = 1; ; attempt++) {
      const r = await this.attempt(new URL(req.url), req, MAX_REDIRECTS);
      if (r.kind !== 'error') return { ...r, attempts: attempt };
      await rm(req.tmpPath, { force: true });
      if (!r.retryable) return { kind: 'failed', reason: `${r.reason} (not retried)`, attempts: attempt };
      if (attempt >= maxAttempts) {
        return { kind: 'failed', reason: `${r.reason} (after ${attempt} attempt${attempt === 1 ? '' : 's'})`, attempts: attempt };
      }
      const delay = backoffDelay(backoffBaseMs, attempt, createRng(`fetch ${req.seed} ${attempt}`), backoffMaxMs, r.retryAfterMs);
      onRetry?.(req.url, attempt, r.reason, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private async attempt(url: URL, req: GetRequest, redirectsLeft: number): Promise<Attempt> {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { kind: 'error', reason: `unsupported URL ${url.href}`, retryable: false };
    }
    const { timeoutMs } = this.opts;
    const ac = new AbortController();
    let phase = 'no response';
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => ac.abort(new Timeout(`timeout: ${phase} for ${timeoutMs} ms`)), timeoutMs);
    };
    const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'telemetry-estimates-fetch' };
    if (req.validators?.etag) headers['if-none-match'] = req.validators.etag;
    if (req.validators?.lastModified) headers['if-modified-since'] = req.validators.lastModified;
    const conditional = 'if-none-match' in headers || 'if-modified-since' in headers;

    let wire = 0;
    let declared: number | null = null;
    let fsError: Error | undefined;
    arm();
    this.requests++;
    try {
      const res = await request(url, headers, url.protocol === 'https:' ? this.agents.https : this.agents.http, ac.signal);
      const status = res.statusCode ?? 0;
      const etag = header(res, 'etag');
      const lastModified = header(res, 'last-modified');
      if (status !== 200) {
        res.on('error', () => {}); // the body is discarded, so is its failure
        res.resume();
        const location = header(res, 'location');
        if ([301, 302, 303, 307, 308].includes(status) && location !== null) {
          if (redirectsLeft === 0) return { kind: 'error', reason: `too many redirects at ${url.href}`, retryable: false };
          clearTimeout(timer);
          return this.attempt(new URL(location, url), req, redirectsLeft - 1);
        }
        if (status === 404) return { kind: 'not-found' };
        if (status === 304 && conditional) return { kind: 'not-modified', etag, lastModified };
        const reason = `HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`;
        const retryable = status >= 500 || status === 429 || status === 408;
        const retryAfter = Number(header(res, 'retry-after') ?? Number.NaN);
        return Number.isFinite(retryAfter) && retryAfter >= 0
          ? { kind: 'error', reason, retryable, retryAfterMs: retryAfter * 1000 }
          : { kind: 'error', reason, retryable };
      }

      const encoding = (header(res, 'content-encoding') ?? 'identity').toLowerCase();
      const decoder =
        encoding === 'identity' ? null
        : encoding === 'gzip' || encoding === 'x-gzip' ? zlib.createGunzip()
        : encoding === 'deflate' ? zlib.createInflate()
        : encoding === 'br' ? zlib.createBrotliDecompress()
        : undefined;
      if (decoder === undefined) {
        res.destroy();
        return { kind: 'error', reason: `unsupported content-encoding ${encoding}`, retryable: false };
      }
      const lengthHeader = header(res, 'content-length');
      declared = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;

      phase = 'no data';
      const hash = createHash('sha256');
      let size = 0;
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
          cb(null, chunk);
        },
      });
      const file = createWriteStream(req.tmpPath);
      file.on('error', (e) => (fsError = e));
      if (decoder) await pipeline(res, wireMeter, decoder, hashMeter, file, { signal: ac.signal });
      else await pipeline(res, wireMeter, hashMeter, file, { signal: ac.signal });
      clearTimeout(timer);
      if (!res.complete || (declared !== null && wire !== declared)) {
        return { kind: 'error', reason: truncation(wire, declared), retryable: true };
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
        return { kind: 'error', reason: ac.signal.reason.message, retryable: true };
      }
      const err = e as NodeJS.ErrnoException;
      if (phase === 'no data') {
        // The socket closed or failed mid-body: a truncated transfer.
        const detail = err.code === 'ECONNRESET' || err.message === 'aborted' ? '' : ` (${err.code ?? err.message})`;
        return { kind: 'error', reason: `${truncation(wire, declared)}${detail}`, retryable: true };
      }
      return { kind: 'error', reason: `network error: ${err.code ?? err.message}`, retryable: true };
    } finally {
      clearTimeout(timer);
    }
  }
}

function request(url: URL, headers: Record<string, string>, agent: http.Agent, signal: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const get = url.protocol === 'https:' ? https.request : http.request;
    const req = get(url, { method: 'GET', headers, agent, signal }, resolve);
    req.on('error', reject);
    req.end();
  });
}

function header(res: http.IncomingMessage, name: string): string | null {
  const v = res.headers[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? null) : null;
}

function truncation(received: number, declared: number | null): string {
  return declared !== null
    ? `truncated body: ${received} of ${declared} bytes`
    : `truncated body: connection closed after ${received} bytes`;
}
