/**
 * `npm run bench`: the extension's hot paths against a baseline run in the same process, as ratios.
 *   (a) one API call through the extension's client vs a bare undici.request of the same URL
 *   (b) "Fetch All Pages" of 2,500 users vs a bare sequential undici loop over the same pages
 *   (c) a 20 MB response body to pretty-printed text vs JSON.stringify(JSON.parse(body), null, 2)
 *   (d) requiring and activating the bundle vs an empty extension
 *   (e) redacting 1 MB of text built to be slow to redact vs one JS pass reading every character
 *   (f) reading a 1 MB OpenAPI 3.0 document into catalog entries (loadDefinition) vs the parser's bundle() alone
 *   (g) reading a 5,000-request .http file into requests and one CodeLens range each vs reading it and splitting its lines
 *   (h) Fetch All of 10,000 users with 40 ms latency per request, pages in parallel, vs a bare sequential undici loop
 *   (i) the same streamed to an NDJSON file (with its peak RSS growth) vs the in-memory parallel fetch
 *   (j) the longest event-loop stall while a 50 MB answer is received and formatted: ours (read into
 *       place, formatted in a worker into the tab's file) vs formatted on this thread
 *   ((k) is the end-to-end large-answer figure in the README, measured by the e2e suite)
 *   (l) the same .http file read with every request's target and headers judged (the refused-target
 *       diagnostics and lenses), on an edit, vs read into lenses alone; (m) the same when the file opens
 * The local Concur server runs in a child process, so that it does not share this event loop.
 * Results also go to test-results/bench.json.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { bundle } from '@readme/openapi-parser';
import { Agent, request } from 'undici';
import { ApiClient, type TokenSource } from '../../src/calls/apiClient';
import { formatBody } from '../../src/responses/format';
import { formatBodyOffThread } from '../../src/responses/formatWorker';
import { DEFAULT_CONCURRENCY, fetchAllPages, streamAllPages } from '../../src/calls/pages';
import { HttpClient } from '../../src/platform/http';
import { Redactor } from '../../src/platform/redact';
import { loadDefinition } from '../../src/catalog/definitions/openapi';
import { parseRequestFile } from '../../src/requestFiles/parse';
import { TargetJudge } from '../../src/requestFiles/targets';
import { createItemWriter } from '../../src/calls/itemWriters';
import { freePort } from '../host/net';
import { artifactsDir, repoRoot } from '../host/paths';
import { fakeContext, fakeVscode } from './fakeVscode';

interface Row {
  name: string;
  ours: number;
  baseline: number;
  unit: string;
  goal?: number;
  samples: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** Runs both sides in alternating order, so that drift in the machine's speed hits both alike. */
async function compare(samples: number, ours: () => Promise<unknown> | unknown, baseline: () => Promise<unknown> | unknown): Promise<{ ours: number; baseline: number }> {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < samples; i++) {
    if (i % 2 === 0) {
      a.push(await time(ours));
      b.push(await time(baseline));
    } else {
      b.push(await time(baseline));
      a.push(await time(ours));
    }
  }
  return { ours: median(a), baseline: median(b) };
}

async function startMockProcess(extraArgs: string[] = []): Promise<{ url: string; geoUrl: string; child: ChildProcess }> {
  const [port, geoPort] = [await freePort(), await freePort()];
  const child = fork(path.join(repoRoot, 'out', 'src', 'localConcur', 'cli.js'), ['--quiet', '--port', String(port), '--geo-port', String(geoPort), ...extraArgs], { stdio: 'pipe' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/_mock`)).ok) return { url, geoUrl: `http://127.0.0.1:${geoPort}`, child };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('the local Concur server did not start');
}

async function token(mockUrl: string, form: Record<string, string>): Promise<string> {
  const demo = (await (await fetch(`${mockUrl}/_mock/demo`)).json()) as Record<string, string>;
  const body = new URLSearchParams({ client_id: demo.clientId, client_secret: demo.clientSecret, ...form }).toString();
  const res = await fetch(`${mockUrl}/oauth2/v0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  const json = (await res.json()) as { access_token?: string; geolocation?: string };
  if (!json.access_token) throw new Error(`no token: ${JSON.stringify(json)}`);
  return json.access_token;
}

async function demoValue(mockUrl: string, key: string): Promise<string> {
  return ((await (await fetch(`${mockUrl}/_mock/demo`)).json()) as Record<string, string>)[key];
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const mock = await startMockProcess();
  try {
    const userToken = await token(mock.geoUrl, { grant_type: 'password', username: await demoValue(mock.url, 'username'), password: await demoValue(mock.url, 'password') });
    const companyToken = await token(mock.url, { grant_type: 'password', credtype: 'authtoken', username: await demoValue(mock.url, 'companyId'), password: await demoValue(mock.url, 'companyRequestToken') });

    // The extension's path: its HttpClient with the log line it writes per request (redacted, as the Log does).
    const redactor = new Redactor();
    redactor.add(userToken);
    const logLines: string[] = [];
    const http = new HttpClient({
      userAgent: 'ConcurApiExplorer/bench',
      onExchange: (e) => {
        logLines.push(redactor.redact(`${e.method} ${e.url} → ${e.status} in ${Math.round(e.durationMs)} ms, ${e.bytes} bytes (correlation id ${e.correlationId})`));
        if (logLines.length > 1000) logLines.length = 0;
      },
    });
    const source = (accessToken: string): TokenSource => {
      const t = { sessionId: 'bench', accessToken, geolocation: mock.geoUrl, baseUrl: mock.url };
      return { get: async () => t, refresh: async () => t };
    };
    const userClient = new ApiClient(http, source(userToken));
    const companyClient = new ApiClient(http, source(companyToken));
    const agent = new Agent({ keepAliveTimeout: 10_000 });

    // (a) one call
    const profileUrl = `${mock.geoUrl}/profile/v1/me`;
    const bare = async (url: string, bearer: string): Promise<Buffer> => {
      const res = await request(url, { dispatcher: agent, headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' } });
      return Buffer.from(await res.body.arrayBuffer());
    };
    for (let i = 0; i < 200; i++) {
      await userClient.call({ method: 'GET', target: '/profile/v1/me' });
      await bare(profileUrl, userToken);
    }
    const calls = 2000;
    const a = await compare(calls, () => userClient.call({ method: 'GET', target: '/profile/v1/me' }), () => bare(profileUrl, userToken));
    rows.push({ name: '(a) API call, GET /profile/v1/me', ours: a.ours, baseline: a.baseline, unit: 'ms', goal: 1.1, samples: calls });

    // (b) all pages of 2,500 users
    const firstPage = '/profile/identity/v4/Users?startIndex=1&count=100';
    const pageUrls = Array.from({ length: 25 }, (_, i) => `${mock.geoUrl}/profile/identity/v4/Users?startIndex=${i * 100 + 1}&count=100`);
    const bareAll = async (): Promise<number> => {
      const all: unknown[] = [];
      for (const url of pageUrls) all.push(...(JSON.parse((await bare(url, companyToken)).toString('utf8')) as { Resources: unknown[] }).Resources);
      return all.length;
    };
    const oursAll = async (): Promise<number> => (await fetchAllPages(companyClient, { method: 'GET', target: firstPage }, 'scim')).items;
    if ((await oursAll()) !== 2500 || (await bareAll()) !== 2500) throw new Error('Fetch All Pages did not fetch 2,500 users');
    const b = await compare(30, oursAll, bareAll);
    rows.push({ name: '(b) Fetch All Pages, 2,500 users (25 pages)', ours: b.ours, baseline: b.baseline, unit: 'ms', goal: 1.1, samples: 30 });

    // (c) a 20 MB body to document text
    await fetch(`${mock.url}/_mock/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ route: '/localities/v5/countries', kind: 'largeBody', mb: 20 }]) });
    const large = await userClient.call({ method: 'GET', target: '/localities/v5/countries' });
    if (large.bytes < 20 * 1024 * 1024) throw new Error(`the large body has only ${large.bytes} bytes`);
    const largeText = large.body.toString('utf8');
    const c = await compare(9, () => formatBody(large.body, large.contentType), () => JSON.stringify(JSON.parse(largeText), null, 2));
    rows.push({ name: `(c) ${(large.bytes / 1048576).toFixed(1)} MB body → pretty-printed text`, ours: c.ours, baseline: c.baseline, unit: 'ms', goal: 1.2, samples: 9 });

    await http.close();
    await agent.close();

    // (d) require + activate
    rows.push(await activationCost());
  } finally {
    mock.child.kill();
  }
  rows.push(...(await parallelFetchCost()));
  rows.push(await stallCost());
  rows.push(await redactCost());
  rows.push(await definitionCost());
  rows.push(await requestFileCost());
  rows.push(...(await requestTargetCost()));

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`\nConcur API Explorer benchmarks — ${cpu}, ${os.cpus().length} cores, Node ${process.versions.node}, ${os.platform()} ${os.release()}\n`);
  console.log(`${'benchmark'.padEnd(50)}${'ours'.padStart(12)}${'baseline'.padStart(12)}${'ratio'.padStart(9)}  goal`);
  for (const row of rows) {
    const ratio = row.ours / row.baseline;
    const goal = row.goal ? `${ratio <= row.goal ? '✔' : '✘'} ≤ ${row.goal.toFixed(2)}×` : '(reported)';
    console.log(`${row.name.padEnd(50)}${`${row.ours.toFixed(3)} ${row.unit}`.padStart(12)}${`${row.baseline.toFixed(3)} ${row.unit}`.padStart(12)}${`${ratio.toFixed(2)}×`.padStart(9)}  ${goal}`);
  }
  fs.mkdirSync(artifactsDir, { recursive: true });
  fs.writeFileSync(path.join(artifactsDir, 'bench.json'), JSON.stringify({ cpu, cores: os.cpus().length, node: process.versions.node, rows: rows.map((r) => ({ ...r, ratio: r.ours / r.baseline })) }, null, 2));
}

/**
 * (j) The longest stall of this thread's event loop (perf_hooks.monitorEventLoopDelay) while a 50 MB
 * JSON answer is received and prepared for its tab, as the extension does it (the body read into
 * place as it arrives, then formatted in a worker that writes the tab's file, taking the body's memory
 * rather than a copy) vs received the same way and formatted on this thread. The server runs in its
 * own process, as Concur does.
 */
async function stallCost(): Promise<Row> {
  const mock = await startMockProcess([]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concur-bench-stall-'));
  try {
    const userToken = await token(mock.geoUrl, { grant_type: 'password', username: await demoValue(mock.url, 'username'), password: await demoValue(mock.url, 'password') });
    await fetch(`${mock.url}/_mock/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ route: '/localities/v5/countries', kind: 'largeBody', mb: 50 }]) });
    const t = { sessionId: 'bench', accessToken: userToken, geolocation: mock.geoUrl, baseUrl: mock.url };
    const client = new ApiClient(new HttpClient({ userAgent: 'ConcurApiExplorer/bench' }), { get: async () => t, refresh: async () => t });
    const receive = () => client.call({ method: 'GET', target: '/localities/v5/countries', maxBodyBytes: 100 * 1024 * 1024 });
    const primed = await receive(); // the server builds its 50 MB answer once
    if (primed.bytes < 50 * 1024 * 1024) throw new Error(`the answer has ${primed.bytes} bytes, not 50 MB`);
    const stall = async (run: () => Promise<unknown>): Promise<number> => {
      await new Promise((r) => setTimeout(r, 200));
      const histogram = monitorEventLoopDelay({ resolution: 10 });
      histogram.enable();
      await new Promise((r) => setTimeout(r, 50));
      await run();
      await new Promise((r) => setTimeout(r, 50));
      histogram.disable();
      return histogram.max / 1e6;
    };
    const ours: number[] = [];
    const baseline: number[] = [];
    for (let n = 0; n < 3; n++) {
      ours.push(
        await stall(async () => {
          const result = await receive();
          const file = path.join(dir, String(n), 'GET ∕localities∕v5∕countries · 200.json');
          await formatBodyOffThread(result.body, result.contentType, false, 100, { file, transfer: true, paging: { hint: 'none', url: result.target.href } });
        }),
      );
      baseline.push(
        await stall(async () => {
          const result = await receive();
          formatBody(result.body, result.contentType, false, 100);
        }),
      );
    }
    return { name: `(j) ${(primed.bytes / 1048576).toFixed(0)} MB answer received and formatted: longest stall (goal ≤ 50 ms), ours vs on the thread`, ours: median(ours), baseline: median(baseline), unit: 'ms', samples: 3 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    mock.child.kill();
  }
}

/**
 * (h) Fetch All of 10,000 Identity users (100 pages) from the local server with 40 ms added to every
 * API request: the extension's parallel pager at its default concurrency vs a bare sequential undici
 * loop over the same pages. The server runs in its own process, as Concur does.
 */
async function parallelFetchCost(): Promise<Row[]> {
  const mock = await startMockProcess(['--company-users', '10000']);
  const http = new HttpClient({ userAgent: 'ConcurApiExplorer/bench' });
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  try {
    const companyToken = await token(mock.url, { grant_type: 'password', credtype: 'authtoken', username: await demoValue(mock.url, 'companyId'), password: await demoValue(mock.url, 'companyRequestToken') });
    await fetch(`${mock.url}/_mock/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ route: '*', host: 'geo', kind: 'latency', ms: 40 }]) });
    const t = { sessionId: 'bench', accessToken: companyToken, geolocation: mock.geoUrl, baseUrl: mock.url };
    const client = new ApiClient(http, { get: async () => t, refresh: async () => t });
    const first = '/profile/identity/v4/Users?startIndex=1&count=100';
    const ours = async (): Promise<number> => (await fetchAllPages(client, { method: 'GET', target: first }, 'scim', { concurrency: DEFAULT_CONCURRENCY })).items;
    const bare = async (): Promise<number> => {
      let items = 0;
      for (let page = 0; page < 100; page++) {
        const res = await request(`${mock.geoUrl}/profile/identity/v4/Users?startIndex=${page * 100 + 1}&count=100`, { dispatcher: agent, headers: { authorization: `Bearer ${companyToken}`, accept: 'application/json' } });
        items += (JSON.parse(await res.body.text()) as { Resources: unknown[] }).Resources.length;
      }
      return items;
    };
    if ((await ours()) !== 10_000 || (await bare()) !== 10_000) throw new Error('Fetch All did not fetch 10,000 users');
    const h = await compare(3, ours, bare);
    // (i) The same to an NDJSON file, streamed: the time against the in-memory parallel fetch, and the peak RSS growth.
    const file = path.join(os.tmpdir(), `concur-bench-${process.pid}.ndjson`);
    let peakGrowth = 0;
    const toFile = async (): Promise<number> => {
      const start = process.memoryUsage().rss;
      const sampler = setInterval(() => (peakGrowth = Math.max(peakGrowth, process.memoryUsage().rss - start)), 5);
      try {
        const writer = await createItemWriter(file, 'ndjson');
        const outcome = await streamAllPages(client, { method: 'GET', target: first }, 'scim', (items) => writer.write(items), { concurrency: DEFAULT_CONCURRENCY });
        await writer.close();
        return outcome.items;
      } finally {
        clearInterval(sampler);
      }
    };
    if ((await toFile()) !== 10_000) throw new Error('Fetch All to a file did not write 10,000 users');
    global.gc?.();
    peakGrowth = 0;
    const i = await compare(3, toFile, ours);
    fs.rmSync(file, { force: true });
    return [
      { name: `(h) Fetch All 10,000 users, 40 ms latency, ${DEFAULT_CONCURRENCY} in parallel`, ours: h.ours, baseline: h.baseline, unit: 'ms', goal: 0.25, samples: 3 },
      { name: `(i) the same to NDJSON (peak RSS +${(peakGrowth / 1048576).toFixed(0)} MB; goal ≤ 64) vs in memory`, ours: i.ours, baseline: i.baseline, unit: 'ms', goal: 1.15, samples: 3 },
    ];
  } finally {
    await http.close();
    await agent.close();
    mock.child.kill();
  }
}

/**
 * Requiring and activating the production bundle against a stand-in `vscode`, each sample from a
 * source V8 has not compiled before (a trailing comment differs), like a fresh extension host.
 */
async function activationCost(): Promise<Row> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'concur-bench-'));
  execFileSync(process.execPath, [path.join(repoRoot, 'esbuild.mjs'), '--production', '--outdir', outdir], { cwd: repoRoot, stdio: 'pipe' });
  const bundle = fs.readFileSync(path.join(outdir, 'extension.js'), 'utf8');
  const empty = 'exports.activate = function (context) { context.subscriptions.push({ dispose() {} }); }; exports.deactivate = function () {};';
  const vscode = fakeVscode();
  const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const originalLoad = loader._load;
  loader._load = function (request: string, parent: unknown, isMain: boolean) {
    if (request === 'vscode') return vscode;
    return originalLoad.call(this, request, parent, isMain);
  };
  let sample = 0;
  const load = (source: string): void => {
    const file = path.join(outdir, `sample-${sample++}.js`);
    const m = new Module(file) as Module & { _compile(code: string, filename: string): void; exports: { activate(context: unknown): void } };
    m.filename = file;
    m.paths = [outdir];
    m._compile(`${source}\n// sample ${sample}`, file);
    m.exports.activate(fakeContext('bench'));
  };
  try {
    const d = await compare(40, () => load(bundle), () => load(empty));
    for (const lazy of ['undici.js', 'openapi.js', 'localConcur.js']) {
      if (Object.keys(require.cache).some((k) => k.startsWith(outdir) && k.endsWith(lazy))) throw new Error(`activation loaded ${lazy}`);
    }
    return { name: `(d) require + activate (${(Buffer.byteLength(bundle) / 1024).toFixed(0)} KB bundle; undici, the parser and the local Concur server not loaded)`, ours: d.ours, baseline: d.baseline, unit: 'ms', samples: 40 };
  } finally {
    loader._load = originalLoad;
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Redacting 1 MB of adversarial text (repeated `eyJ`, `password=`, unterminated quotes, `://a:`,
 * `Bearer `…, each a slice of the megabyte) with a few registered secrets, against a charCodeAt loop
 * over the same text: the least a scanner written in JavaScript costs. (`text.replace(/\u0000/g, '')`
 * is native and as fast as memchr, so its ratio would say nothing.)
 */
async function redactCost(): Promise<Row> {
  const units = ['eyJ', 'eyJ\n ', 'aB3_-xYz09', 'password=', 'password%253D', '%22password%22%3A%22', 'password: ', 'a token: ', 'code=', '://a:', 'Bearer ', 'a=', '%3D', '\\"', '"password":"'];
  const slice = Math.floor(1_048_576 / units.length);
  // `"` and `;` between the slices end what the slice before left open.
  const text = units.map((unit) => unit.repeat(Math.ceil(slice / unit.length)).slice(0, slice - 4)).join('\n";\n');
  const redactor = new Redactor();
  for (const secret of ['opaque-refresh-9f8e7d6c', 'p@ss w"rd&x=1', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl']) redactor.add(secret);
  const readEveryCharacter = (): number => {
    let nul = 0;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0) nul++;
    return nul;
  };
  const e = await compare(21, () => redactor.redact(text), readEveryCharacter);
  return { name: '(e) redact 1 MB of adversarial text', ours: e.ours, baseline: e.baseline, unit: 'ms', samples: 21 };
}

/**
 * A generated OpenAPI 3.0 document of about 1 MB (pretty-printed JSON): resources with list, create,
 * get, replace and delete operations, parameters (shared by $ref, path-level, enums, headers),
 * request bodies and responses that $ref component schemas (nullable, allOf, recursive), written
 * to a temporary file and read both ways from there.
 */
function generatedOpenApi(targetBytes: number): string {
  const schemas: Record<string, unknown> = {
    Money: { type: 'object', required: ['value', 'currency'], properties: { value: { type: 'number', minimum: 0, exclusiveMinimum: true }, currency: { type: 'string', enum: ['EUR', 'USD', 'JPY', 'GBP'] } } },
    Problem: { type: 'object', required: ['title', 'status'], properties: { title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string', nullable: true } } },
  };
  const paths: Record<string, unknown> = {};
  const doc = {
    openapi: '3.0.3',
    info: { title: 'Generated Benchmark API', version: '1.0' },
    servers: [{ url: 'https://bench.invalid/api' }],
    security: [{ oauth: ['bench.read'] }],
    paths,
    components: {
      schemas,
      securitySchemes: { oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://bench.invalid/token', scopes: { 'bench.read': 'read', 'bench.write': 'write' } } } } },
      parameters: { Limit: { name: 'limit', in: 'query', schema: { type: 'integer', default: 25, minimum: 1, maximum: 100 } } },
    },
  };
  const json = (ref: string): unknown => ({ 'application/json': { schema: { $ref: ref } } });
  const problem = { description: 'Problem', content: json('#/components/schemas/Problem') };
  for (let i = 0; i % 25 !== 0 || JSON.stringify(doc, null, 1).length < targetBytes; i++) {
    const tag = [`Things ${i % 20}`];
    schemas[`Line${i}`] = { type: 'object', required: ['code', 'amount'], properties: { code: { type: 'string', enum: ['MEAL', 'TAXI', 'HOTEL', 'AIR'] }, amount: { $ref: '#/components/schemas/Money' }, note: { type: 'string', nullable: true, maxLength: 200 } } };
    schemas[`NewItem${i}`] = { type: 'object', required: ['name', 'lines'], properties: { name: { type: 'string', description: `The name of item ${i}.` }, lines: { type: 'array', items: { $ref: `#/components/schemas/Line${i}` } }, date: { type: 'string', format: 'date' }, flags: { type: 'array', items: { type: 'string' } } } };
    schemas[`Item${i}`] = { allOf: [{ $ref: `#/components/schemas/NewItem${i}` }, { type: 'object', required: ['id', 'status'], properties: { id: { type: 'string', format: 'uuid' }, status: { type: 'string', enum: ['DRAFT', 'SUBMITTED', 'APPROVED'] }, total: { $ref: '#/components/schemas/Money' }, parent: { $ref: `#/components/schemas/Item${i}` } } }] };
    const list = { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { $ref: `#/components/schemas/Item${i}` } }, next: { type: 'string', nullable: true } } };
    paths[`/things${i}/items`] = {
      get: {
        operationId: `list${i}`,
        tags: tag,
        summary: `List the items of things ${i}`,
        description: `Lists items.\n\nMore about things ${i}.`,
        parameters: [{ $ref: '#/components/parameters/Limit' }, { name: 'status', in: 'query', schema: { type: 'string', enum: ['DRAFT', 'SUBMITTED', 'APPROVED'] } }, { name: 'X-Trace', in: 'header', schema: { type: 'string' } }],
        responses: { 200: { description: 'Items', content: { 'application/json': { schema: list } } }, 400: problem },
      },
      post: { operationId: `create${i}`, tags: tag, summary: `Create an item of things ${i}`, security: [{ oauth: ['bench.write'] }], requestBody: { required: true, content: json(`#/components/schemas/NewItem${i}`) }, responses: { 201: { description: 'Created', content: json(`#/components/schemas/Item${i}`) }, 400: problem } },
    };
    paths[`/things${i}/items/{itemId}`] = {
      parameters: [{ name: 'itemId', in: 'path', required: true, description: 'The item id.', schema: { type: 'string' } }],
      get: { operationId: `get${i}`, tags: tag, responses: { 200: { description: 'Item', content: json(`#/components/schemas/Item${i}`) }, 404: problem } },
      put: { operationId: `replace${i}`, tags: tag, requestBody: { content: json(`#/components/schemas/NewItem${i}`) }, responses: { 200: { description: 'Item', content: json(`#/components/schemas/Item${i}`) }, 404: problem } },
      delete: { operationId: `delete${i}`, tags: tag, deprecated: i % 7 === 0, responses: { 204: { description: 'Deleted' }, 404: problem } },
    };
  }
  return JSON.stringify(doc, null, 1);
}

/** Reading an API definition: the extension's loadDefinition (bundle, normalise, map) vs the parser's bundle() of the same file. */
async function definitionCost(): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concur-bench-definition-'));
  try {
    const file = path.join(dir, 'generated-openapi.json');
    const text = generatedOpenApi(1_048_576);
    fs.writeFileSync(file, text);
    const options = { fetchText: (): Promise<string> => Promise.reject(new Error('the benchmark document has no remote $refs')) };
    const ours = (): Promise<unknown> => loadDefinition({ id: 'bench', location: file }, options);
    const operations = (await loadDefinition({ id: 'bench', location: file }, options)).endpoints.length;
    for (let i = 0; i < 3; i++) {
      await ours();
      await bundle(file);
    }
    const f = await compare(21, ours, () => bundle(file));
    return { name: `(f) ${(text.length / 1048576).toFixed(1)} MB OpenAPI 3.0 → ${operations} entries`, ours: f.ours, baseline: f.baseline, unit: 'ms', goal: 1.5, samples: 21 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A generated request file of `count` requests, each different: file variables, `###` titles,
 * `# @name`, `# @concur-session` and `# @expect` annotations, query continuation lines, headers with
 * `{{…}}`, JSON bodies of a few to a few dozen lines (`###` inside their strings), file bodies; and
 * what the other tools' users write: comment lines in bodies and before the next `###`, repeated
 * headers, `# @note` and `# @prompt`, block comments, multipart uploads with file parts, form lines,
 * GraphQL, JetBrains response handlers and pre-request scripts, httpYac scripts and asserts, WebDAV
 * methods, `HTTP/2` labels and pasted curl commands over several lines.
 */
function generatedRequestFile(count: number): string {
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
  const out: string[] = ['# Generated for the benchmark.', '@host = https://us.api.concursolutions.com', '@version = v4', ''];
  for (let i = 0; i < count; i++) {
    const method = methods[i % methods.length];
    out.push(i % 3 === 0 ? `### request ${i}` : '###');
    if (i % 50 === 0) out.push(`@page${i} = ${i}`);
    if (i % 2 === 0) out.push(`# @name r${i}`);
    if (i % 7 === 0) out.push('# @concur-session Acme (sandbox)');
    if (i % 4 === 0) out.push('# @expect status 200', '# @expect header content-type application/json');
    if (i % 5 === 0) out.push('// @expect $.Resources.length > 0', `// @expect $.Resources[?(@.id == "${i}")].name contains "x"`);
    if (i % 17 === 0) out.push('# @note Asks first', '# @prompt reason Why this runs', '/*', ` * request ${i}`, ' */');
    if (i % 19 === 0) out.push('< {%', '    request.variables.set("x", 1)', '%}');
    if (i % 23 === 0) {
      // A pasted curl command over four lines, with a JSON body in quotes over three.
      out.push(`curl -sS -X POST 'https://us.api.concursolutions.com/things/${i}' \\`, "  -H 'Content-Type: application/json' \\", `  -d '{"n": ${i},`, `  "name": "item ${i}"}'`, '');
      continue;
    }
    if (i % 29 === 0) {
      out.push(`POST /receipts/v4/users/{{$concur.sub}}/image-only-receipts HTTP/2`, 'Content-Type: multipart/form-data; boundary=b', '', '--b', 'Content-Disposition: form-data; name="image"; filename="r.png"', 'Content-Type: image/png', '', '< ./files/r.png', '--b--', '');
      continue;
    }
    if (i % 31 === 0) {
      out.push('POST /oauth2/v0/form', 'Content-Type: application/x-www-form-urlencoded', '', `name=item${i}`, '&state=open', `&page=${i}`, '');
      continue;
    }
    if (i % 37 === 0) {
      out.push('POST /graphql', 'X-Request-Type: GraphQL', '', `query Item${i} {`, '  # the fields', '  item { id name }', '}', '', `{ "id": ${i} }`, '', '?? status == 200', '');
      continue;
    }
    if (i % 41 === 0) out.push('PROPFIND /dav/', 'Depth: 1');
    else if (i % 6 === 0) {
      out.push(`${method} {{host}}/things/{{version}}/items/${i}`, '    ?limit=100', `    &offset=${i}`);
    } else {
      out.push(`${method} /things/v${i % 9}/items/${i}${i % 11 === 0 ? ' HTTP/1.1' : ''}`);
    }
    out.push('Accept: application/json', `X-Trace: {{$guid}}-${i}`);
    if (i % 3 === 0) out.push(`If-None-Match: {{r${i - (i % 2)}.response.headers.ETag}}`);
    if (i % 8 === 0) out.push('# Cookie: commented=out', 'Cookie: a=1', 'Cookie: b=2');
    if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      out.push('Content-Type: application/json', '');
      if (i % 13 === 0) {
        out.push('< ./bodies/item.json');
      } else {
        const fields = 2 + (i % 25);
        out.push('{');
        for (let f = 0; f < fields; f++) {
          if (f % 10 === 5) out.push(`  // field ${f} follows`);
          out.push(`  "field${f}": ${f % 3 === 0 ? `"value ${i}-${f} ###"` : f % 3 === 1 ? String(i * f) : `{ "nested": [${f}, "{{$randomInt 1 9}}"] }`},`);
        }
        out.push(`  "last": "{{r${i - (i % 2)}.response.body.$.id}}"`, '}');
      }
    }
    if (i % 11 === 0) out.push('', '> {%', '    client.test("ok", () => client.assert(response.status === 200));', '%}', '>> ./out/answer.json');
    if (i % 13 === 1) out.push('', '{{@response', '  console.info(response.parsedBody);', '}}');
    if (i % 4 === 1) out.push('', `# ---- section ${i} ----`);
    out.push('');
  }
  // CRLF, as a file written on Windows: the parser's line splitting handles both.
  return out.join('\r\n');
}

/** Reading a request file for its CodeLenses: parseRequestFile and one range per request vs reading the file and splitting its lines. */
async function requestFileCost(): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concur-bench-requests-'));
  try {
    const file = path.join(dir, 'generated.http');
    const text = generatedRequestFile(5000);
    fs.writeFileSync(file, text);
    const ours = (): number => {
      const parsed = parseRequestFile(fs.readFileSync(file, 'utf8'));
      // One CodeLens per request, on its request line.
      const lenses = parsed.requests.map((r) => ({ line: r.requestLine, start: 0, end: 0 }));
      return lenses.length;
    };
    const baseline = (): number => fs.readFileSync(file, 'utf8').split(/\r?\n/).length;
    const parsed = parseRequestFile(text);
    // Information (other tools' scripts not run, HTTP/2 sent as HTTP/1.1) is expected; no warning or error is.
    const problems = parsed.diagnostics.filter((d) => d.severity !== 'information');
    if (parsed.requests.length !== 5000 || problems.length) throw new Error(`the generated request file read as ${parsed.requests.length} requests and ${problems.length} problems (${problems[0]?.message})`);
    for (let i = 0; i < 5; i++) {
      ours();
      baseline();
    }
    const g = await compare(31, ours, baseline);
    const lines = text.split(/\r?\n/).length;
    return { name: `(g) ${(text.length / 1048576).toFixed(1)} MB .http, 5,000 requests (${lines} lines) → CodeLenses (goal < 50 ms)`, ours: g.ours, baseline: g.baseline, unit: 'ms', samples: 31 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What an edit of a request file costs with its targets judged (the diagnostics and lenses for
 * requests that would not be sent): parseRequestFile and every request judged by the resolver and the
 * header check for a session, vs parseRequestFile and the lenses alone (row (g)'s work). (l) is an
 * edit: the judgements of the pass before are kept, as the editor keeps them while the session, the
 * environment and the file's variables stay the same; (m) is the first pass, when the file opens.
 */
async function requestTargetCost(): Promise<Row[]> {
  const text = generatedRequestFile(5000);
  const session = { baseUrl: 'https://us.api.concursolutions.com', geolocation: 'https://us.api.concursolutions.com' };
  const lenses = (): number => parseRequestFile(text).requests.map((r) => ({ line: r.requestLine, start: 0, end: 0 })).length;
  const judged = (remembered?: Map<string, readonly unknown[]>): number => {
    const parsed = parseRequestFile(text);
    const judge = new TargetJudge({ session, sources: { file: parsed.variables, response: () => undefined }, remembered: remembered as Map<string, never> | undefined });
    let refused = 0;
    for (const request of parsed.requests) if (judge.judge(request).length) refused++;
    return parsed.requests.map((r) => ({ line: r.requestLine, start: 0, end: 0 })).length + refused;
  };
  // Every request of the generated file goes to the session's host: nothing is refused.
  if (judged() !== 5000) throw new Error('a request of the generated file was judged refused');
  const remembered = new Map<string, readonly unknown[]>();
  for (let i = 0; i < 5; i++) {
    judged();
    judged(remembered);
    lenses();
  }
  const k = await compare(31, () => judged(remembered), lenses);
  const l = await compare(31, () => judged(), lenses);
  return [
    { name: '(l) the same, an edit → lenses and refused-target diagnostics, vs lenses alone', ours: k.ours, baseline: k.baseline, unit: 'ms', goal: 1.2, samples: 31 },
    { name: '(m) the same, when the file opens (every request judged)', ours: l.ours, baseline: l.baseline, unit: 'ms', samples: 31 },
  ];
}

// `node out/test/bench/run.js g` runs row (g) alone (any row needing no server: d, e, f, g, l (with m)).
const only = process.argv[2];
(only ? runOnly(only) : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

async function runOnly(rows: string): Promise<void> {
  const run: Record<string, () => Promise<Row | Row[]>> = { d: activationCost, e: redactCost, f: definitionCost, g: requestFileCost, l: requestTargetCost };
  for (const key of rows.split(',')) {
    const found = await run[key]?.();
    if (!found) throw new Error(`no row (${key}) to run alone; rows: ${Object.keys(run).join(', ')}`);
    for (const row of [found].flat()) console.log(`${row.name}: ours ${row.ours.toFixed(3)} ${row.unit}, baseline ${row.baseline.toFixed(3)} ${row.unit}, ratio ${(row.ours / row.baseline).toFixed(2)}×`);
  }
}
