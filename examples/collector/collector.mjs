// The dev collector: receives event batches (Attune JSON, Segment batch, Snowplow tp2), appends
// each new event as one JSON line to an NDJSON file, drops duplicate ids, and serves the examples.
// For the demo and the tests only: production events go to a real collector.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { appendFile, mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { COLLECT_ROUTES, FormatError } from './formats.mjs';

const MAX_BODY_BYTES = 1024 * 1024;

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.sig': 'text/plain; charset=utf-8',
  '.jwk': 'application/json; charset=utf-8',
};

function corsHeaders(request) {
  return {
    'access-control-allow-origin': request.headers.origin ?? '*',
    'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
    // Echo what a preflight asks for, so adapters' custom headers (x-attune-write-key, tenant ids)
    // work against the dev collector too.
    'access-control-allow-headers': request.headers['access-control-request-headers'] ?? 'content-type, authorization',
    'access-control-max-age': '600',
    // Lets a cross-origin page read the bundle's ETag for If-None-Match.
    'access-control-expose-headers': 'etag',
    vary: 'origin',
  };
}

function send(response, request, status, body, headers = {}) {
  const raw = Buffer.isBuffer(body);
  const payload = body === undefined ? '' : typeof body === 'string' || raw ? body : JSON.stringify(body);
  response.writeHead(status, {
    ...corsHeaders(request),
    'cache-control': 'no-store',
    ...(typeof body === 'object' && !raw ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    ...headers,
  });
  response.end(payload);
}

async function readBody(request) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error('body too large'), { status: 413 });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Creates the collector. `routes` maps URL prefixes to folders served as static files; `pages`
 * maps exact paths to pages rendered per request (server rendering examples): `(request, url) =>
 * Promise<{ status?, headers?, body }>`; `home` is where `/` redirects; under a prefix of `apps`
 * (single-page apps), a path that names no file and has no extension gets the folder's index.html
 * (the app routes it). Returns `{ server, listen(), close(), received, stored }`.
 */
export function createCollector({ eventsFile, routes = {}, pages = {}, apps = [], home, log = () => {} }) {
  /** Every record as it arrived, duplicates included (tests check delivery counts on this). */
  const received = [];
  /**
   * Unique records, as appended to the NDJSON file: the original event or message plus `id`,
   * `type`, `name` and `format` ('json' | 'segment' | 'snowplow'), see formats.mjs.
   */
  const stored = [];
  const seenIds = new Set();
  /**
   * Set by `DELETE /events?from=now`, so a test starts clean even if a page an earlier test closed
   * still sends what it held (a page-hide send may arrive after the clear): events of visitors seen
   * before a clear (`retired`), made before it (`keptFrom`, epoch ms), are answered but not kept.
   * Both, so a new visitor whose page runs a fake clock set in the past is still kept.
   */
  let keptFrom = 0;
  const retired = new Set();
  const lateFromRetired = (event) =>
    retired.has(event?.anonymousId) && typeof event.timestamp === 'string' && Date.parse(event.timestamp) < keptFrom;
  const UP = { kind: 'up' };
  /** Simulated outage: kind down | fail | hang, for `remaining` requests (Infinity: until told). */
  let mode = UP;

  /** Applies the simulated outage to one request; true when the request was handled by it. */
  function misbehave(request, response) {
    if (mode.kind === 'up') return false;
    const current = mode;
    if (--mode.remaining <= 0) mode = UP;
    if (current.kind === 'down') {
      request.socket.destroy(); // Looks like a network failure to the browser.
    } else if (current.kind === 'fail') {
      const headers = current.retryAfter !== undefined ? { 'retry-after': String(current.retryAfter) } : {};
      // Read the body before answering: an unread body would wedge the kept-alive connection.
      request.resume();
      request.once('end', () => send(response, request, current.status, { error: 'failing on purpose (dev collector control)' }, headers));
    } else {
      // hang: hold the request open, then drop it, like an overloaded server.
      const timer = setTimeout(() => request.socket.destroy(), current.ms);
      request.socket.once('close', () => clearTimeout(timer));
    }
    return true;
  }

  // Segment's Basic auth (write key) is accepted without being checked: this is a dev collector.
  async function collect(request, response, route) {
    if (misbehave(request, response)) return;
    let events;
    try {
      events = route.toRecords(JSON.parse(await readBody(request)));
    } catch (error) {
      return send(response, request, error.status ?? 400, { error: error instanceof FormatError ? error.message : route.expected });
    }
    const fresh = [];
    for (const event of events) {
      if (lateFromRetired(event)) continue; // An earlier test's page, still sending.
      received.push(event);
      const id = event && typeof event.id === 'string' ? event.id : undefined;
      if (id && seenIds.has(id)) continue; // At-least-once delivery: the same id twice is one event.
      if (id) seenIds.add(id);
      stored.push(event);
      fresh.push(event);
    }
    if (fresh.length > 0) {
      await mkdir(dirname(eventsFile), { recursive: true });
      await appendFile(eventsFile, fresh.map((event) => JSON.stringify(event) + '\n').join(''));
    }
    log(`received ${events.length} ${route.format} event(s), ${fresh.length} new: ${fresh.map((e) => e?.name).join(', ')}`);
    send(response, request, 200, { received: events.length, stored: fresh.length });
  }

  async function control(request, response) {
    let body;
    try {
      body = JSON.parse((await readBody(request)) || '{}');
    } catch {
      return send(response, request, 400, { error: 'control body must be JSON like {"mode":"down"}' });
    }
    if (!['up', 'down', 'fail', 'hang'].includes(body.mode)) return send(response, request, 400, { error: 'mode must be up, down, fail or hang' });
    mode =
      body.mode === 'up'
        ? UP
        : {
            kind: body.mode,
            status: Number(body.status) || 503,
            retryAfter: body.retryAfter,
            ms: Number(body.ms) || 30_000,
            remaining: Number(body.count) > 0 ? Number(body.count) : Infinity,
          };
    send(response, request, 200, { mode: mode.kind });
  }

  async function serveStatic(request, response, pathname) {
    const prefix = Object.keys(routes)
      .sort((a, b) => b.length - a.length)
      .find((candidate) => pathname === candidate.replace(/\/$/, '') || pathname.startsWith(candidate));
    if (prefix === undefined) return send(response, request, 404, { error: `nothing at ${pathname}` });
    if (pathname === prefix.replace(/\/$/, '')) return send(response, request, 301, '', { location: prefix });
    const root = resolve(routes[prefix]);
    let file = normalize(join(root, decodeURIComponent(pathname.slice(prefix.length))));
    if (file !== root && !file.startsWith(root + sep)) return send(response, request, 403, { error: 'outside the served folder' });
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const content = await readFile(file);
      // ETag + If-None-Match, like a CDN: a bundle the client has cached costs a 304. The bytes
      // are sent as they are on disk (a signature covers them exactly).
      const etag = `"${createHash('sha256').update(content).digest('base64url').slice(0, 22)}"`;
      if (request.headers['if-none-match'] === etag) return send(response, request, 304, undefined, { etag });
      send(response, request, 200, content, {
        'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        etag,
      });
    } catch {
      if (apps.includes(prefix) && !extname(pathname)) return serveStatic(request, response, prefix);
      send(response, request, 404, { error: `no file ${pathname}` });
    }
  }

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    try {
      if (request.method === 'OPTIONS') return send(response, request, 204);
      if (request.method === 'POST' && Object.hasOwn(COLLECT_ROUTES, url.pathname)) return await collect(request, response, COLLECT_ROUTES[url.pathname]);
      if (url.pathname === '/events' && request.method === 'GET') {
        return send(response, request, 200, url.searchParams.get('raw') === '1' ? received : stored);
      }
      if (url.pathname === '/events' && request.method === 'DELETE') {
        if (url.searchParams.get('from') === 'now') {
          for (const event of received) if (typeof event?.anonymousId === 'string') retired.add(event.anonymousId);
          keptFrom = Date.now();
        }
        received.length = 0;
        stored.length = 0;
        seenIds.clear();
        mode = UP;
        return send(response, request, 200, { cleared: true });
      }
      if (url.pathname === '/_control' && request.method === 'POST') return await control(request, response);
      if (url.pathname === '/' && home) return send(response, request, 302, '', { location: home });
      if (url.pathname === '/health') return send(response, request, 200, { ok: true });
      if (request.method === 'GET' && Object.hasOwn(pages, url.pathname)) {
        const page = await pages[url.pathname](request, url);
        return send(response, request, page.status ?? 200, page.body, page.headers);
      }
      if (request.method === 'GET' || request.method === 'HEAD') return await serveStatic(request, response, url.pathname);
      send(response, request, 405, { error: `${request.method} not allowed on ${url.pathname}` });
    } catch (error) {
      if (!response.headersSent) send(response, request, 500, { error: String(error?.message ?? error) });
    }
  });

  return {
    server,
    received,
    stored,
    listen(port, host = '127.0.0.1') {
      return new Promise((resolveListen, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolveListen(server.address().port));
      });
    },
    close() {
      server.closeAllConnections?.();
      return new Promise((resolveClose) => server.close(() => resolveClose()));
    },
  };
}
