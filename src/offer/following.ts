/**
 * What one offer's reads follow, and whether a read shows it. The adapter's record (`Followed`) is
 * held here, opaque: each write, each publication found or joined, and each read moves it on. A
 * write this step started counts only once it is identified (by what the service's answer named,
 * or found in the listing as new since the send): until then no read ends the wait, counts as its
 * sign-off, or leads to a go-live.
 */
import type { Adapter, Followed, Publication, Started } from '../adapters/adapter.js';
import type { Snapshot } from '../core/model.js';
import type { WriteName } from '../core/started.js';
import type { CallOptions } from '../http/client.js';

export class Following {
  /** What the reads follow: where the adapter starts, then what each write or find names. */
  private followed: Followed;
  /** The subjects of reads that show what this step started; none until it started something. */
  private subjects: Set<string> | undefined;
  /** What was listed before the last write: anything listed later and not then is new. */
  private baseline = new Set<string>();
  private lastWrite: WriteName = 'publish';

  constructor(private readonly adapter: Adapter) {
    this.followed = adapter.start;
  }

  /** The operation or configure job followed, started or joined; or empty. */
  get operationId(): string {
    return this.followed.operationId;
  }

  /** The write sent last (`publish` before any). */
  get last(): WriteName {
    return this.lastWrite;
  }

  /** Whether this step started something (and has not since been told it ended or was refused). */
  get startedSomething(): boolean {
    return this.subjects !== undefined;
  }

  /** The adapter's lookups before a wait that sends nothing. */
  async prepare(call: CallOptions, debug: (message: string) => void): Promise<void> {
    this.followed = await this.adapter.prepare(call, this.followed, debug);
  }

  /** One read of what is followed; it may move that on, even when it then fails. */
  read(call: CallOptions): Promise<Snapshot> {
    return this.adapter.read(call, this.followed, (next) => {
      this.followed = next;
    });
  }

  /** What the adapter's writes are given: what is followed now. */
  get current(): Followed {
    return this.followed;
  }

  /** Follows a publication: one that runs, or this step's once found. */
  follow(publication: Publication): void {
    this.followed = this.adapter.follow(this.followed, publication);
  }

  /** A write of `name` is about to be sent; `before` is what was listed before it. */
  sending(name: WriteName, before: readonly Publication[]): void {
    this.baseline = new Set(before.map((p) => p.key));
    this.lastWrite = name;
  }

  /** The write was sent and the service named what it started (or not: `subjects` empty). */
  sent(started: Started): void {
    this.subjects ??= new Set();
    for (const subject of started.subjects) this.subjects.add(subject);
    this.followed = started.followed;
  }

  /** The write may have started something, unnamed: it must be found before a read counts. */
  mayHaveStarted(): void {
    this.subjects ??= new Set();
  }

  /** Nothing of this step is to be found any more: reads of the offer count again. */
  settled(): void {
    this.subjects = undefined;
  }

  /** What is listed now and was not before the last write, of that write's kind, if anything. */
  newSince(listed: readonly Publication[]): Publication | undefined {
    return listed.find((p) => !this.baseline.has(p.key) && p.kind === this.lastWrite);
  }

  /** This step's write, found in the listing: followed from now on. */
  identify(found: Publication): void {
    this.subjects?.add(found.id);
    this.follow(found);
  }

  /**
   * Whether a read shows what this step follows. Always, unless this step started something it
   * has not identified yet: then `listed` says what is new since the send, and that is identified
   * once found (`found` is told). A read of something else (the previous publish, still shown
   * while the service catches up) is no news about this step's write.
   */
  async counts(
    snapshot: Snapshot,
    listed: () => Promise<Publication[]>,
    found: (publication: Publication) => void,
  ): Promise<boolean> {
    if (!this.subjects) return true;
    if (snapshot.subject && this.subjects.has(snapshot.subject)) return true;
    let publication: Publication | undefined;
    try {
      publication = this.newSince(await listed());
    } catch {
      return false; // the next read looks again
    }
    if (!publication) return false;
    found(publication);
    return snapshot.subject === publication.id;
  }

  /** Whether a read shows a preview this step started (its publish, found or answered). */
  showsOwn(snapshot: Snapshot): boolean {
    return Boolean(snapshot.subject && this.subjects?.has(snapshot.subject));
  }
}
