/**
 * Starting the publish and the go-live for one offer, by the rules that keep the offer safe:
 * - never a second publish: one that runs is joined;
 * - a publish this step started is followed only once it is identified (by the address the
 *   service gave, or found in the listing as new since the send): until then no read ends the
 *   wait, counts as its sign-off, or leads to a go-live;
 * - a change is sent alone, never while a publish runs, and published only once its job succeeded
 *   (`change-job.ts`); the publish is then the submission alone;
 * - a go-live only for the preview the plan names (`go-live.ts` decides at the sign-off);
 * - nothing is sent once the step is cancelled, and a request without a clear answer is sent
 *   again only when two looks show nothing started (`writes.ts`).
 * It also holds what the offer's reads follow (`Followed`), which each write, each publication
 * found or joined, and each read moves on: the adapter keeps none of it.
 * API-blind: the adapter sends and lists; this decides.
 */
import type {
  Adapter,
  Followed,
  OfferChanges,
  Publication,
  PublishState,
  Started,
} from '../adapters/adapter.js';
import type { Resource } from '../core/configure/types.js';
import type { Snapshot } from '../core/model.js';
import type { StartedWrite, WriteName } from '../core/started.js';
import { ApiError } from '../http/api-error.js';
import type { CallOptions } from '../http/client.js';
import { isConflict, sendOnce } from './writes.js';

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

/** A write that ended before it could tell whether it started (cancellation, deadline, reads). */
export class WriteStopped extends ApiError {
  constructor(
    message: string,
    readonly mayHaveStarted: boolean,
  ) {
    super(message, { kind: 'network', endpoint: 'write', transient: false });
    this.name = 'WriteStopped';
  }
}

/** Waited before each look for a change that got no clear answer: its job applies it in seconds. */
const CHANGE_SETTLE_MS = 30_000;

const STALE =
  'It was started elsewhere and may not hold your latest changes; run this step again once it ' +
  'has ended to publish them.';

/** What this step started, in order; empty when it started nothing (joined, or nothing asked). */
export class Publisher {
  readonly started: StartedWrite[] = [];
  /** The running publish this step joined instead of starting one (or that won the race). */
  joined: Publication | 'unnamed' | undefined;
  private goLiveHandled = false;
  /** What was listed before the last write: anything listed later and not then is new. */
  private baseline = new Set<string>();
  /** The subjects of reads that show what this step started; none until it started something. */
  private subjects: Set<string> | undefined;
  private lastWrite: WriteName = 'publish';
  /** What the reads follow: where the adapter starts, then what each write or find names. */
  private followed: Followed;

  constructor(private readonly deps: PublishDeps) {
    this.followed = deps.adapter.start;
  }

  /** The operation (CPP) or configure job (ingestion) followed, started or joined; or empty. */
  get operationId(): string {
    return this.followed.operationId;
  }

  /** The adapter's lookups before a wait that sends nothing (CPP: the running operation). */
  async prepare(call: CallOptions, debug: (message: string) => void): Promise<void> {
    this.followed = await this.deps.adapter.prepare(call, this.followed, debug);
  }

  /** One read of what is followed (retried like every read); it may move that on. */
  read(): Promise<Snapshot> {
    return this.deps.adapter.read(this.deps.readCall(), this.followed, (next) => {
      this.followed = next;
    });
  }

  /** The listing, and where the latest preview stands: read like every read (retried, within budget). */
  state(): Promise<PublishState> {
    return this.retried(() => this.deps.adapter.publishState(this.deps.readCall()));
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
      adapter.startPublish(call, this.followed, { notificationEmails }),
    );
  }

  /**
   * Follows a publish that runs instead of starting one. `note` says what the user should know
   * about it (a warning: it may not hold the draft); none: it is this release's (said as info).
   */
  join(running: Publication, note = ''): void {
    const { adapter, offer } = this.deps;
    this.followed = adapter.follow(this.followed, running);
    this.joined = running;
    const said = `A publish of ${offer} runs (${running.label}): following it instead of starting another.`;
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
      (call) => changes.configure(call, this.followed, resources),
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
  async awaitQuiet(listed: Publication[]): Promise<{ listed: Publication[]; waited: boolean }> {
    const { deps } = this;
    for (let waited = false; ; waited = true) {
      const running = listed.find((p) => p.running);
      if (!running) return { listed, waited };
      if (!waited) {
        deps.info(
          `A publish of ${deps.offer} runs (${running.label}): the change waits for it to end ` +
            'before it is sent (sent now, it would be refused as product locked, or land half in ' +
            'that publish).',
        );
      }
      const remaining = deps.deadline - deps.now();
      if (deps.cancelled()) {
        throw new WriteStopped('The workflow was cancelled while the change waited.', false);
      }
      if (remaining <= 0) {
        throw new WriteStopped(
          `The deadline came while the change waited for ${running.label} to end; nothing was sent.`,
          false,
        );
      }
      await deps.sleep(Math.min(deps.pollIntervalMs, remaining));
      listed = await this.list();
    }
  }

  /**
   * Whether a read shows what this step follows. Always, unless this step started something it
   * has not identified yet: then it looks in the listing for what is new since the send, and
   * follows it once found. A read of something else (the previous publish, still shown while
   * the service catches up) is no news about this step's publish.
   */
  async counts(snapshot: Snapshot): Promise<boolean> {
    if (!this.subjects) return true;
    if (snapshot.subject && this.subjects.has(snapshot.subject)) return true;
    let found: Publication | undefined;
    try {
      found = await this.newSince(await this.deps.adapter.publications(this.deps.readCall()));
    } catch {
      return false; // the next read looks again
    }
    if (!found) return false;
    this.identify(found);
    return snapshot.subject === found.id;
  }

  /** The change's job succeeded: the draft holds it, and reads of the offer count again. */
  changeApplied(): void {
    this.subjects = undefined;
  }

  /** Whether a read shows a preview this step started (its publish, found or answered). */
  showsOwn(snapshot: Snapshot): boolean {
    return Boolean(snapshot.subject && this.subjects?.has(snapshot.subject));
  }

  /** Asks the offer to go live, once, for the preview the read at the sign-off shows. */
  async goLive(signoff: Snapshot): Promise<void> {
    if (this.goLiveHandled) return;
    this.goLiveHandled = true;
    const { adapter } = this.deps;
    const before = await this.list();
    await this.send('go-live', before, (call) => adapter.goLive(call, this.followed, signoff));
  }

  /**
   * A write the service accepted and then refused because another submission runs (ingestion:
   * its configure job failed so): nothing of this step runs, so the running one is joined. True
   * when `error` was that refusal and the wait may go on.
   */
  joinAfterRefusal(error: unknown): boolean {
    if (!(error instanceof ApiError) || !isConflict(error) || !this.subjects) return false;
    // Refused: it started nothing (a change sent before it, in its own request, stays).
    const refusedWrite = this.started.pop();
    this.subjects = undefined;
    this.joined = 'unnamed';
    this.deps.warning(
      `The ${refusedWrite?.name ?? 'write'} of ${this.deps.offer} was refused after it was ` +
        `accepted (${error.message}): following the submission in progress instead. ${STALE}`,
    );
    return true;
  }

  /** The offer's publications, read like every read: retried, waited through, within budget. */
  private list(): Promise<Publication[]> {
    return this.retried(() => this.deps.adapter.publications(this.deps.readCall()));
  }

  /** A read around a write, tried again while it fails transiently, like the wait's reads. */
  private async retried<T>(read: () => Promise<T>): Promise<T> {
    const { deps } = this;
    for (let failed = 1; ; failed++) {
      try {
        return await read();
      } catch (error) {
        const remaining = deps.deadline - deps.now();
        if (
          deps.cancelled() ||
          !(error instanceof ApiError) ||
          !error.transient ||
          remaining <= 0 ||
          failed >= deps.maxFailedReads
        ) {
          if (error instanceof ApiError && error.transient && failed >= deps.maxFailedReads) {
            throw new ApiError(
              `${error.message} The last ${failed} reads failed; giving up (max-failed-reads).`,
              { ...error.details, transient: false },
            );
          }
          throw error;
        }
        deps.warning(
          `${error.message} Read ${failed} of ${deps.maxFailedReads} in a row failed; still waiting.`,
        );
        await deps.sleep(Math.min(deps.pollIntervalMs, remaining));
      }
    }
  }

  /** What is listed now and was not before the last write, of that write's kind, if anything. */
  private newSince(listed: Publication[]): Publication | undefined {
    return listed.find((p) => !this.baseline.has(p.key) && p.kind === this.lastWrite);
  }

  /** This step's write, found in the listing: followed from now on. */
  private identify(found: Publication): void {
    this.subjects?.add(found.id);
    this.followed = this.deps.adapter.follow(this.followed, found);
    const last = this.started.at(-1);
    if (last && !last.operationId) last.operationId = this.followed.operationId;
    this.deps.info(`Found this step's ${this.lastWrite} in the listing: ${found.label}.`);
  }

  private async send(
    name: WriteName,
    before: Publication[],
    send: (call: CallOptions) => Promise<Started>,
    look: () => Promise<Publication | undefined> = async () => this.newSince(await this.list()),
    settleMs = this.deps.settleMs,
  ): Promise<void> {
    const { deps } = this;
    const { adapter, offer } = deps;
    this.baseline = new Set(before.map((p) => p.key));
    this.lastWrite = name;
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
    switch (outcome.kind) {
      case 'joined':
        if (outcome.found) this.followed = adapter.follow(this.followed, outcome.found);
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
        this.subjects ??= new Set();
        this.started.push({ name, at, operationId: '' });
        if (name === 'configure') {
          // The draft holds the change: nothing to follow but the offer.
          this.subjects = undefined;
          deps.info(`The change to ${offer} is in the draft, seen after an unclear answer.`);
          return;
        }
        this.identify(outcome.found);
        deps.info(
          `${verb(name)} ${offer} at ${new Date(at).toISOString()} (${outcome.found.label}), ` +
            'seen in the listing after an unclear answer.',
        );
        return;
      }
      case 'sent': {
        const { started } = outcome;
        this.subjects ??= new Set();
        for (const subject of started.subjects) this.subjects.add(subject);
        this.followed = started.followed;
        // Unnamed (CPP without an address): the operation followed before stays the one named.
        const operationId = started.operationId || this.followed.operationId;
        this.started.push({ name, at, operationId });
        deps.info(
          `${verb(name)} ${offer} at ` +
            `${new Date(at).toISOString()}${started.label ? ` (${started.label})` : ''}.`,
        );
        if (started.notice) deps.warning(started.notice);
      }
    }
  }
}

const verb = (name: WriteName) =>
  name === 'configure'
    ? 'Sent the change to'
    : name === 'publish'
      ? 'Started a publish of'
      : 'Asked to go live:';
