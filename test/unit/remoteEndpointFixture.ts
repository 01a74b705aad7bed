// For the remote-backend tests: a real OpenAI-compatible embeddings server on loopback, written here so a
// test decides what each request gets (vectors, a 429, no answer, garbage, the server gone), and the
// `semsearch serve` CLI started as a child process, its port read from its stdout.

import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as path from 'node:path';
import { CLI, cliEnv } from '../helpers/cliRun';
import { PROJECT_ROOT } from '../helpers/standin';

/** What one POST /v1/embeddings gets; `n` counts them from 1 (the backend's probe is the first). */
export type Answer =
  | { kind: 'vectors'; dims: number }
  | { kind: '429'; retryAfter: string }
  | { kind: 'hang' }
  | { kind: 'garbage'; body: string }
  /** The connection cut and the server closed, as when its process is killed; `restart`: listening again at once. */
  | { kind: 'kill'; restart: boolean };

export const MODEL = 'fake-embed';

/** A vector that depends only on the text, like a real model's. */
export function vectorOf(text: string, dims: number): number[] {
  const out: number[] = [];
  for (let i = 0; out.length < dims; i++) {
    for (const byte of createHash('sha256').update(`${i}:${text}`).digest()) if (out.length < dims) out.push(byte / 255 - 0.5);
  }
  return out;
}

export class TestEndpoint {
  private server?: http.Server;
  private readonly sockets = new Set<Socket>();
  port = 0;
  /** Requests to /v1/embeddings so far, and the answers given by kind. */
  requests = 0;
  readonly given: Record<string, number> = {};
  /** Each request's inputs (texts), in arrival order. */
  readonly inputs: string[][] = [];
  /** Each request's Authorization header (undefined: none), in arrival order, /v1/models included. */
  readonly authorizations: (string | undefined)[] = [];
  /** Requests whose client gave up (closed the connection) before an answer. */
  abandoned = 0;
  private readonly hung = new Set<http.ServerResponse>();

  constructor(public answer: (n: number) => Answer) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  async start(port = 0): Promise<void> {
    const server = http.createServer((req, res) => this.handle(req, res));
    server.on('connection', s => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Gone as a killed process is: every connection cut, nothing listening. */
  async kill(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>(resolve => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  async stop(): Promise<void> {
    for (const res of this.hung) res.destroy();
    await this.kill();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      this.authorizations.push(req.headers.authorization);
      if (req.url === '/v1/models') {
        json(res, 200, { object: 'list', data: [{ id: MODEL, object: 'model' }] });
        return;
      }
      const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as { input: string[]; encoding_format?: string };
      const answer = this.answer(++this.requests);
      this.given[answer.kind] = (this.given[answer.kind] ?? 0) + 1;
      this.inputs.push(body.input);
      switch (answer.kind) {
        case 'vectors':
          json(res, 200, {
            object: 'list',
            model: MODEL,
            data: body.input.map((t, index) => ({ object: 'embedding', index, embedding: vectorOf(t, answer.dims) })).reverse(),
          });
          return;
        case '429':
          json(res, 429, { error: { message: 'Rate limit reached', type: 'rate_limit_error' } }, { 'retry-after': answer.retryAfter });
          return;
        case 'hang':
          this.hung.add(res);
          res.on('close', () => {
            if (!res.writableEnded) this.abandoned++;
            this.hung.delete(res);
          });
          return;
        case 'garbage':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(answer.body);
          return;
        case 'kill':
          void this.kill().then(() => (answer.restart ? this.start(this.port) : undefined));
          return;
      }
    });
  }
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

/** `semsearch serve` as a child process, once it says where it listens. */
export interface ServeProcess {
  child: ChildProcess;
  port: number;
  stderr(): string;
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startServe(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', d => {
    err += String(d);
  });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(resolve =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not say where it listens within ${timeoutMs} ms; stderr:\n${err}`));
    }, timeoutMs);
    child.stdout!.on('data', d => {
      out += String(d);
      const m = /listening on http:\/\/[^\s]+:(\d+)\/v1/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), stderr: () => err, ended });
      }
    });
    void ended.then(e => {
      clearTimeout(timer);
      reject(new Error(`serve ended (${e.code ?? e.signal}) before it listened; stderr:\n${err}`));
    });
  });
}

/** A small real workspace: the chunker's fixtures in eight languages and a real CommonJS file of many functions. */
export function writeWorkspace(root: string): void {
  const write = (rel: string, content: string) => {
    const abs = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  };
  for (const name of fs.readdirSync(path.join(PROJECT_ROOT, 'test/fixtures/chunker'))) {
    write(`src/${name}`, fs.readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/chunker', name), 'utf8'));
  }
  write('src/lru-cache.js', fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules/lru-cache/dist/commonjs/index.js'), 'utf8'));
}
