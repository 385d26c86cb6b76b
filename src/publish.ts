/**
 * Starting the publish and the go-live for one offer, by the rules that keep the offer safe: never
 * a second publish (join one that runs), a go-live only while the offer waits for the publisher
 * sign-off, and a write that got no clear answer never sent again once something runs. API-blind:
 * the adapter sends and looks; `writes.ts` decides whether a second try is safe.
 */
import type { Adapter, Started } from './adapters/adapter.js';
import type { Snapshot } from './core/model.js';
import type { StartedWrite } from './core/started.js';
import type { CallOptions } from './http/client.js';
import { sendOnce, type WriteName } from './writes.js';

export interface PublishDeps {
  adapter: Adapter;
  now(): number;
  sleep(ms: number): Promise<void>;
  info(message: string): void;
  warning(message: string): void;
  /** True once the workflow was cancelled: nothing new is sent after that. */
  cancelled(): boolean;
  /** Options for every call (deadline, signal, backoff bound). */
  call(): CallOptions;
  deadline: number;
  /** Waited after an unclear answer before looking again. */
  settleMs: number;
  /** Who is followed, for messages: `offer contoso/contoso-vm`. */
  offer: string;
}

const STALE =
  'It was started elsewhere and may not hold your latest changes; run this step again once it ' +
  'has ended to publish them.';

/** What this step started, in order; empty when it started nothing (joined, or nothing asked). */
export class Publisher {
  readonly started: StartedWrite[] = [];
  private goLiveHandled = false;

  constructor(private readonly deps: PublishDeps) {}

  /** Starts a publish, or joins the one that runs. */
  async publish(notificationEmails: string): Promise<void> {
    const { adapter, offer } = this.deps;
    const running = await adapter.runningPublish(this.deps.call());
    if (running) {
      adapter.join(running);
      this.deps.warning(
        `A publish of ${offer} is already running (${running.label}): following it instead of ` +
          `starting another. ${STALE}`,
      );
      return;
    }
    await this.send('publish', () =>
      adapter.startPublish(this.deps.call(), { notificationEmails }),
    );
  }

  /**
   * Asks the offer to go live the first time a read shows it waiting for the publisher sign-off.
   * Going live, live, failed or still certifying: nothing is sent.
   */
  async goLiveIfReady(snapshot: Snapshot): Promise<void> {
    if (this.goLiveHandled || snapshot.status !== 'waitingForPublisherReview') return;
    this.goLiveHandled = true;
    const { adapter } = this.deps;
    await this.send(
      'go-live',
      () => adapter.goLive(this.deps.call()),
      async () => {
        // Sent if the offer no longer waits for the sign-off.
        const now = await adapter.read(this.deps.call());
        return now.status === 'waitingForPublisherReview'
          ? undefined
          : { operationId: adapter.operationId(), label: 'the go-live' };
      },
    );
  }

  private async send(
    name: WriteName,
    send: () => Promise<Started>,
    lookAgain: () => Promise<Started | undefined> = () =>
      this.deps.adapter.runningPublish(this.deps.call()),
  ): Promise<void> {
    const { adapter, offer } = this.deps;
    if (this.deps.cancelled()) return;
    const at = this.deps.now();
    const outcome = await sendOnce(
      { name, deadline: this.deps.deadline, settleMs: this.deps.settleMs },
      {
        send,
        lookAgain,
        sleep: this.deps.sleep,
        now: this.deps.now,
        info: this.deps.info,
      },
    );
    if (outcome.kind === 'joined') {
      if (outcome.started) adapter.join(outcome.started);
      this.deps.warning(
        `Another ${name} of ${offer} won the race (${outcome.reason}): following ` +
          `${outcome.started?.label ?? 'it'} instead. ${name === 'publish' ? STALE : ''}`.trim(),
      );
      return;
    }
    const { started, confirmed } = outcome;
    if (!confirmed) adapter.join(started);
    else if (!started.operationId && name === 'publish') {
      // No address to follow: find the operation, so the reads never show the publish before it.
      const running = await adapter.runningPublish(this.deps.call()).catch(() => undefined);
      if (running) adapter.join(running);
    }
    this.started.push({ name, at, operationId: started.operationId || adapter.operationId() });
    const verb = name === 'publish' ? 'Started a publish of' : 'Asked to go live:';
    this.deps.info(
      `${verb} ${offer} at ${new Date(at).toISOString()}${started.label ? ` (${started.label})` : ''}` +
        `${confirmed ? '' : ', seen running after an unclear answer'}.`,
    );
    if (started.notice) this.deps.warning(started.notice);
  }
}
