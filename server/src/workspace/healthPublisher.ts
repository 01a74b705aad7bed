// Pushes the health to the client when it changes: at once when the state changes (idle -> indexing, paused,
// error), otherwise at most every `intervalMs`, so a run over thousands of files does not flood the client
// while the last change is never lost.

import type { Health, IndexState } from '../../../common/protocol';

export const HEALTH_INTERVAL_MS = 250;

export class HealthPublisher {
  private lastSent = 0;
  private lastState?: IndexState;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly state: () => IndexState,
    private readonly health: () => Health,
    private readonly send: (h: Health) => void,
    private readonly intervalMs = HEALTH_INTERVAL_MS,
  ) {}

  /** Something changed; `state()` is cheap, so each call can tell a state change from progress. */
  changed(): void {
    if (this.stopped) return;
    const wait = this.lastSent + this.intervalMs - performance.now();
    if (this.state() !== this.lastState || wait <= 0) this.publish();
    else this.timer ??= setTimeout(() => this.publish(), wait);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private publish(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped) return;
    const health = this.health();
    this.lastState = health.state;
    this.lastSent = performance.now();
    this.send(health);
  }
}
