// One forked embedder process and its RPC connection. It knows how to start, embed, and die; retry and
// replacement policy live in EmbedderPool.

import { ChildProcess, fork } from 'node:child_process';
import {
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  ErrorCodes,
  MessageConnection,
  ResponseError,
} from 'vscode-jsonrpc/node';
import { decodeFloat32, EmbedRequest, encodeInt32, WorkerInitRequest } from './workerProtocol';

const STDERR_TAIL = 2000;

export class WorkerProcess {
  readonly pid: number;
  batches = 0;
  rssBytes = 0;
  /** Resolves with a one-line reason when the process is gone, whatever the cause. */
  readonly exited: Promise<string>;
  private alive = true;
  private stderrTail = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly connection: MessageConnection,
  ) {
    this.pid = child.pid ?? -1;
    child.stderr?.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString()).slice(-STDERR_TAIL);
    });
    this.exited = new Promise(resolve => {
      child.once('exit', (code, signal) => {
        this.alive = false;
        connection.dispose();
        const why = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        const tail = this.stderrTail.trim().split('\n').pop();
        resolve(`embedder worker ${this.pid} ${why}${tail ? ` (${tail.slice(0, 200)})` : ''}`);
      });
    });
  }

  static spawn(script: string): WorkerProcess {
    // An explicit empty execArgv: inheriting --inspect or heap flags from the parent would collide or mislead.
    const child = fork(script, [], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.listen();
    return new WorkerProcess(child, connection);
  }

  get isAlive(): boolean {
    return this.alive;
  }

  async init(onnxPath: string, intraOpThreads: number): Promise<void> {
    const res = await this.call(() => this.connection.sendRequest(WorkerInitRequest.type, { onnxPath, intraOpThreads }));
    this.rssBytes = res.rssBytes;
  }

  async embed(seqs: Int32Array[]): Promise<Float32Array[]> {
    const res = await this.call(() => this.connection.sendRequest(EmbedRequest.type, encodeInt32(seqs)));
    this.rssBytes = res.rssBytes;
    this.batches++;
    const all = decodeFloat32(res.vectors);
    return seqs.map((_, i) => all.slice(i * res.dims, (i + 1) * res.dims));
  }

  kill(): void {
    if (this.alive) this.child.kill('SIGKILL');
  }

  /**
   * A request to a dead process may never settle, throw at once, or be rejected by the connection's own
   * teardown before the exit event arrives; in every such case the caller gets the exit's reason.
   * Only an error the worker itself answered with passes through as it is.
   */
  private async call<T>(send: () => Promise<T>): Promise<T> {
    const exit = this.exited.then((reason): never => {
      throw new WorkerExitError(reason);
    });
    if (!this.alive) return exit;
    try {
      return await Promise.race([send(), exit]);
    } catch (e) {
      const workersAnswer = e instanceof ResponseError && e.code !== ErrorCodes.PendingResponseRejected;
      if (e instanceof WorkerExitError || (workersAnswer && this.alive)) throw e;
      return exit;
    }
  }
}

export class WorkerExitError extends Error {}
