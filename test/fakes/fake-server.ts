/**
 * Shared plumbing of the loopback vendor fakes: an HTTP server with a small admin API under `/__fake/`
 * (reset state, inject failures, read the request log) so that tests running inside workerd can steer a
 * fake that runs in Node. Vendor behaviour (auth, pagination, errors) lives in each fake.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface FakeRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export interface InjectedFailure {
  status: number;
  times: number;
  retryAfterSeconds?: number;
  body?: string;
}

export interface FakeState {
  requests: FakeRequest[];
  failure: InjectedFailure | null;
}

export type VendorHandler = (req: FakeRequest, res: ServerResponse, url: URL) => void | Promise<void>;
export type AdminHandler = (action: string, body: unknown) => unknown;

export interface RunningFake {
  readonly port: number;
  readonly origin: string;
  close(): Promise<void>;
}

export async function startFakeServer(handle: VendorHandler, admin: AdminHandler): Promise<RunningFake> {
  const state: FakeState = { requests: [], failure: null };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // Decoded once at the end: a multi-byte character split across chunks must not be garbled.
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://fake');
        if (url.pathname.startsWith('/__fake/')) {
          const action = url.pathname.slice('/__fake/'.length);
          const parsed = body ? (JSON.parse(body) as unknown) : null;
          let answer: unknown;
          if (action === 'fail') state.failure = parsed as InjectedFailure;
          else if (action === 'requests') answer = state.requests;
          else if (action === 'reset') {
            state.requests = [];
            state.failure = null;
            answer = admin('reset', parsed);
          } else answer = admin(action, parsed);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(answer ?? { ok: true }));
          return;
        }
        const record: FakeRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
        state.requests.push(record);
        if (state.failure && state.failure.times > 0) {
          state.failure.times--;
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (state.failure.retryAfterSeconds !== undefined) headers['retry-after'] = String(state.failure.retryAfterSeconds);
          res.writeHead(state.failure.status, headers);
          res.end(state.failure.body ?? JSON.stringify({ error: `injected ${state.failure.status}` }));
          return;
        }
        try {
          await handle(record, res, url);
        } catch (err) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`fake error: ${String(err)}`);
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('fake: no port');
  return {
    port: address.port,
    origin: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}
