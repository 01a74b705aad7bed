// A loopback HTTP server standing in for a model hub: it serves a local model folder's files under
// /<modelId>/resolve/main/<file>, the layout SEMSEARCH_MODEL_BASE_URL points the download at, and records
// what was asked for. The stand-in's files are not the pinned model's, so a download from here fails its
// checksum check: the path a user's download takes, up to the check, without the internet.

import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

export class FakeModelHub {
  readonly requests: string[] = [];
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  constructor(
    private readonly modelId: string,
    private readonly dir: string,
  ) {}

  /** Listens on `port` (0: any free one) and returns the base URL for SEMSEARCH_MODEL_BASE_URL. */
  async start(port = 0): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', resolve);
    });
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${this.modelId}/resolve/main/`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = decodeURIComponent(req.url ?? '');
    this.requests.push(url);
    const prefix = `/${this.modelId}/resolve/main/`;
    const rel = url.startsWith(prefix) ? url.slice(prefix.length) : undefined;
    const file = rel && !rel.split('/').includes('..') ? path.join(this.dir, ...rel.split('/')) : undefined;
    if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('Entry not found');
      return;
    }
    const body = fs.readFileSync(file);
    res.writeHead(200, { 'content-length': body.length }).end(body);
  }
}
