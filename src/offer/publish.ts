/**
 * Starting the publish and the go-live for one offer, by the rules that keep the offer safe:
 * - never a second publish: one that runs is joined;
 * - a publish this step started is followed only once it is identified (`following.ts`): until
 *   then no read ends the wait, counts as its sign-off, or leads to a go-live;
 * - a change is sent alone, never while a publish runs, and published only once its job succeeded
 *   (`carry-out.ts`); the publish is then the submission alone;
 * - a go-live only for the preview the plan names (`go-live.ts` decides at the sign-off);
 * - nothing is sent once the step is cancelled, and a request without a clear answer is sent
 *   again only when two looks show nothing started (`writes.ts`).
 * API-blind: the adapter sends and lists; this decides.
 */
import type {
  Adapter,
  OfferChanges,
  Publication,
  PublishState,
  Started,
} from '../adapters/adapter.js';
import type { Resource } from '../core/configure/types.js';
import type { Snapshot } from '../core/model.js';
import { sentWords, type StartedWrite, type WriteName } from '../core/started.js';
import { ApiError } from '../http/api-error.js';
import type { CallOptions } from '../http/client.js';
import { Following } from './following.js';
import { retriedRead } from './read-retry.js';
import { awaitQuiet } from './quiet.js';
import { isConflict, sendOnce, WriteStopped, type WriteOutcome } from './writes.js';

export interface PublishDeps {
  adapter: Adapter;
  now(): number;
  sleep(ms: number): Promise<void>;
  info(message: string): void;
  warning(message: string): void;
  /** True once the workflow was cancelled: nothing new is sent after that. */
  cancelled(): boolean;
  /** Options for a read (retried like every read). */
  readCall(): CallOptions;
  /** Options for a write (sent once; `writes.ts` decides about a second). */
  writeCall(): CallOptions;
  deadline: number;
  /** Waited before each look after an unclear answer. */
  settleMs: number;
  /** Between two tries of a read that failed, and the failures in a row allowed. */
  pollIntervalMs: number;
  maxFailedReads: number;
  /** Who is followed, for messages: `offer contoso/contoso-vm`. */
  offer: string;
}

/** Waited before each look for a change that got no clear answer: its job applies it in seconds. */
const CHANGE_SETTLE_MS = 30_000;

/** Said of a publish this step joins that was started elsewhere. */
export const STALE =
  'It was started elsewhere and may not hold your latest changes; run this step again once it ' +
  'has ended to publish them.';

/** What this step started, in order; empty when it started nothing (joined, or nothing asked). */
export class Publisher {
  readonly started: StartedWrite[] = [];
  /** The running publish this step joined instead of starting one (or that won the race). */
  joined: Publication | 'unnamed' | undefined;
  private goLiveHandled = false;
  /** What the reads follow, and whether a read shows it. */
  private readonly following: Following;

  constructor(private readonly deps: PublishDeps) {
    this.following = new Following(deps.adapter);
  }

  /** The operation (CPP) or configure job (ingestion) followed, started or joined; or empty. */
  get operationId(): string {
    return this.following.operationId;
  }

  /** The adapter's lookups before a wait that sends nothing (CPP: the running operation). */
  prepare(call: CallOptions, debug: (message: string) => void): Promise<void> {
    return this.following.prepare(call, debug);
  }

  /** One read of what is followed (retried like every read); it may move that on. */
  read(): Promise<Snapshot> {
    return this.following.read(this.deps.readCall());
  }

  /** The listing, and where the latest preview stands: read like every read (retried, within budget). */
  state(): Promise<PublishState> {
    return retriedRead(this.deps, () => this.deps.adapter.publishState(this.deps.readCall()));
  }

  /**
   * Starts a publish: the preview submission alone, which publishes the draft as it is. A publish
   * that runs by now (it won a race since `listed`) is joined instead, never doubled.
   */
  async publish(notificationEmails: string, listed?: Publication[]): Promise<void> {
    const { adapter } = this.deps;
    const before = listed ?? (await this.list());
    const running = before.find((p) => p.running);
    if (running) {
      this.join(running, `${STALE}`);
      return;
    }
    await this.send('publish', before, (call) =>
      adapter.startPublish(call, this.following.current, { notificationEmails }),
    );
  }

  /**
   * Follows a publish that runs instead of starting one. `note` says what the user should know
   * about it (a warning: it may not hold the draft); none: it is this release's (said as info).
   */
  join(running: Publication, note = ''): void {
    this.following.follow(running);
    this.joined = running;
    const said = `A publish of ${this.deps.offer} runs (${running.label}): following it instead of starting another.`;
    if (note) this.deps.warning(`${said} ${note}`);
    else this.deps.info(`${said} It holds the draft: it is this release's.`);
  }

  /**
   * Sends a change alone, once nothing runs (`awaitQuiet` first). After an unclear answer,
   * `landed` says whether the draft now holds it (the look); then it is not sent again.
   */
  async configure(
    changes: OfferChanges,
    resources: Resource[],
    landed: () => Promise<boolean>,
    listed: Publication[],
  ): Promise<void> {
    await this.send(
      'configure',
      listed,
      (call) => changes.configure(call, this.following.current, resources),
      async () =>
        (await landed())
          ? { key: 'configure', id: '', kind: 'configure', running: false, label: 'the change' }
          : undefined,
      // A change shows in the draft only once its job has succeeded: the looks give it time.
      Math.max(this.deps.settleMs, CHANGE_SETTLE_MS),
    );
  }

  /**
   * The listing once no publish runs, and whether it had to wait: a change sent during one would
   * be refused as product locked, or land half in that publish.
   */
  awaitQuiet(listed: Publication[]): Promise<{ listed: Publication[]; waited: boolean }> {
    return awaitQuiet(this.deps, listed, () => this.list());
  }

  /**
   * Whether a read shows what this step follows (`Following.counts`): a write this step started
   * counts once found in the listing, and is followed from then on.
   */
  counts(snapshot: Snapshot): Promise<boolean> {
    return this.following.counts(
      snapshot,
      () => this.deps.adapter.publications(this.deps.readCall()),
      (found) => this.identify(found),
    );
  }

  /** The change's job succeeded: the draft holds it, and reads of the offer count again. */
  changeApplied(): void {
    this.following.settled();
  }

  /** Whether a read shows a preview this step started (its publish, found or answered). */
  showsOwn(snapshot: Snapshot): boolean {
    return this.following.showsOwn(snapshot);
  }

  /** Asks the offer to go live, once, for the preview the read at the sign-off shows. */
  async goLive(signoff: Snapshot): Promise<void> {
    if (this.goLiveHandled) return;
    this.goLiveHandled = true;
    const { adapter } = this.deps;
    const before = await this.list();
    await this.send('go-live', before, (call) =>
      adapter.goLive(call, this.following.current, signoff),
    );
  }

  /**
   * A write the service accepted and then refused because another submission runs (ingestion:
   * its configure job failed so): nothing of this step runs, so the running one is joined. True
   * when `error` was that refusal and the wait may go on.
   */
  joinAfterRefusal(error: unknown): boolean {
    if (!(error instanceof ApiError) || !isConflict(error) || !this.following.startedSomething) {
      return false;
    }
    // Refused: it started nothing (a change sent before it, in its own request, stays).
    const refusedWrite = this.started.pop();
    this.following.settled();
    this.joined = 'unnamed';
    this.deps.warning(
      `The ${refusedWrite?.name ?? 'write'} of ${this.deps.offer} was refused after it was ` +
        `accepted (${error.message}): following the submission in progress instead. ${STALE}`,
    );
    return true;
  }

  /** The offer's publications, read like every read: retried, waited through, within budget. */
  private list(): Promise<Publication[]> {
    return retriedRead(this.deps, () => this.deps.adapter.publications(this.deps.readCall()));
  }

  /** This step's write, found in the listing: followed from now on. */
  private identify(found: Publication): void {
    this.following.identify(found);
    const last = this.started.at(-1);
    if (last && !last.operationId) last.operationId = this.following.operationId;
    this.deps.info(`Found this step's ${this.following.last} in the listing: ${found.label}.`);
  }

  private async send(
    name: WriteName,
    before: Publication[],
    send: (call: CallOptions) => Promise<Started>,
    look: () => Promise<Publication | undefined> = async () =>
      this.following.newSince(await this.list()),
    settleMs = this.deps.settleMs,
  ): Promise<void> {
    const { deps } = this;
    this.following.sending(name, before);
    const at = deps.now();
    const outcome = await sendOnce(
      { name, deadline: deps.deadline, settleMs },
      {
        send: () => send(deps.writeCall()),
        look,
        sleep: deps.sleep,
        now: deps.now,
        cancelled: deps.cancelled,
        info: deps.info,
      },
    );
    this.settle(name, at, outcome);
  }

  /** What a write's outcome means for what is followed, what this step started, and the log. */
  private settle(name: WriteName, at: number, outcome: WriteOutcome<Started>): void {
    const { deps } = this;
    const { offer } = deps;
    switch (outcome.kind) {
      case 'joined':
        if (outcome.found) this.following.follow(outcome.found);
        this.joined = outcome.found ?? 'unnamed';
        deps.warning(
          `Another ${name} of ${offer} won the race (${outcome.reason}): following ` +
            `${outcome.found?.label ?? 'it'} instead. ${name === 'publish' ? STALE : ''}`.trim(),
        );
        return;
      case 'stopped':
        if (outcome.mayHaveStarted)
          this.started.push({ name, at, operationId: '', uncertain: true });
        throw new WriteStopped(`${outcome.reason}.`, outcome.mayHaveStarted);
      case 'found': {
        this.following.mayHaveStarted();
        this.started.push({ name, at, operationId: '' });
        if (name === 'configure') {
          // The draft holds the change: nothing to follow but the offer.
          this.following.settled();
          deps.info(`The change to ${offer} is in the draft, seen after an unclear answer.`);
          return;
        }
        this.identify(outcome.found);
        deps.info(
          `${sentWords(name)} ${offer} at ${new Date(at).toISOString()} (${outcome.found.label}), ` +
            'seen in the listing after an unclear answer.',
        );
        return;
      }
      case 'sent': {
        const { started } = outcome;
        this.following.sent(started);
        // Unnamed (CPP without an address): the operation followed before stays the one named.
        const operationId = started.operationId || this.following.operationId;
        this.started.push({ name, at, operationId });
        deps.info(
          `${sentWords(name)} ${offer} at ` +
            `${new Date(at).toISOString()}${started.label ? ` (${started.label})` : ''}.`,
        );
        if (started.notice) deps.warning(started.notice);
      }
    }
  }
}
