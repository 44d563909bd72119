/**
 * A loopback HTTP server whose answers a test writes, and which records every request it gets: the
 * "other server" a token must never reach, or a Concur stand-in that says odd things on purpose.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface ScriptedAnswer {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | object;
}

export interface ScriptedServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly requests: ScriptedRequest[];
  close(): Promise<void>;
}

export async function scriptedServer(answer: (req: ScriptedRequest, server: ScriptedServer) => ScriptedAnswer | Promise<ScriptedAnswer> = () => ({ status: 200, body: {} })): Promise<ScriptedServer> {
  const requests: ScriptedRequest[] = [];
  const holder: { self?: ScriptedServer } = {};
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: ScriptedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      void Promise.resolve(answer(recorded, holder.self as ScriptedServer)).then((a) => {
        const body = a.body === undefined ? '' : typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
        res.writeHead(a.status ?? 200, { 'content-type': typeof a.body === 'object' ? 'application/json' : 'text/plain', ...a.headers });
        res.end(body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const self: ScriptedServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  holder.self = self;
  return self;
}

/** A token answer as Concur sends it, with the fields a test wants changed. */
export function tokenAnswer(fields: Record<string, unknown> = {}): ScriptedAnswer {
  return {
    status: 200,
    body: {
      access_token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJl',
      token_type: 'Bearer',
      expires_in: '3600',
      scope: 'openid user.read',
      refresh_token: `refresh-${Math.random().toString(36).slice(2)}`,
      ...fields,
    },
  };
}
