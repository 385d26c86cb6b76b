/**
 * One product as the product-ingestion service holds it: the scenario's submissions (its state
 * before this run), its draft resources and the trees its previews and live submissions carried,
 * the submissions and configure jobs this run's requests created, the lagged view of
 * `GET submission/{productGuid}`, and the service's decisions on a configure request, taken from
 * its real state.
 */
import { guid, type ServiceCore } from '../service/core.js';
import { faultScripts, type WriteFaults, type WriteSettings } from '../service/faults.js';
import { Lifecycle, type Frame } from '../service/lifecycle.js';
import {
  CERTIFICATION_ERRORS,
  jobBody,
  type Entry,
  type IngestionScenario,
} from '../ingestion-scenarios.js';
import { Job, Submission, inProgress, is, jobFrames, submissionFrames } from './entities.js';
import { ResourceTree, copy, hasVersion, type JobError, type Resource } from './resources.js';

/** The docs' sample preview's number: the first the simulator gives a new submission. */
const FIRST_SUBMISSION = 1152921515689848683n;

export interface ProductSettings extends WriteSettings {
  offerId: string;
  guid: string;
  /** The ids of the first preview and live jobs the simulator creates. */
  firstJobIds: { publish: string; goLive: string };
  /** Its draft resources before this run (this product's ids). */
  resources: Resource[];
}

/** The submission a configure request carries, as its schema check left it. */
export interface SubmissionRequest {
  targetType: 'preview' | 'live';
  /** A live request's: the preview it pushes. */
  id?: string;
}

const LOCKED = 'The product is locked by a submission in progress.';

export class Product {
  private readonly scripted: Lifecycle;
  private readonly submissions: Submission[] = [];
  /** Its configure jobs: the scenario's, if it has one, then one per configure request. */
  readonly jobs: Job[] = [];
  readonly faults: WriteFaults;
  /** Its draft resources, as this run's configure requests changed them. */
  readonly tree: ResourceTree;
  /** The draft before this run: what the scenario's previews and live submission carried. */
  private readonly initial: Resource[];
  /** The tree each submission of this run carried (a preview: the draft when it started). */
  private readonly carried = new Map<Submission, Resource[]>();

  constructor(
    private readonly core: ServiceCore,
    readonly settings: ProductSettings,
    scenario: IngestionScenario,
    knownJobId?: string,
  ) {
    this.scripted = Lifecycle.scripted(scenario.submissions, 'per-read', core.clock);
    if (scenario.job && knownJobId) {
      const life = Lifecycle.scripted(scenario.job, 'per-read', core.clock);
      this.jobs.push(new Job(knownJobId, settings.guid, life, false));
    }
    this.faults = faultScripts(settings);
    this.initial = copy(settings.resources);
    this.tree = new ResourceTree(settings.guid, settings.resources);
  }

  /**
   * Its resources for a target: the draft as it is; preview and live, the tree the last of this
   * run's submissions of that target to complete successfully carried (else the draft before the
   * run). From the real state, not lagged.
   */
  resources(targetType: 'draft' | 'preview' | 'live'): Resource[] {
    if (targetType === 'draft') return this.tree.list();
    const done = this.submissions.filter((s) => {
      const e = s.entry();
      return s.targetType === targetType && is(e.status, 'completed') && is(e.result, 'succeeded');
    });
    const last = done.at(-1);
    return copy((last && this.carried.get(last)) ?? this.initial);
  }

  /** A status read of this product (its submissions or one of its jobs): everything moves on one read. */
  private tick(): void {
    this.core.countRead();
    this.scripted.tick();
    for (const s of this.submissions) s.life.tick();
    for (const j of this.jobs) j.life.tick();
  }

  /** `GET submission/{productGuid}`: the entries, with what was created over `lagMs` ago. */
  readSubmissions(): Frame {
    this.tick();
    const frame = this.scripted.frame();
    // The scenario's own faults (a 403, a stall) are served as long as nothing else happened.
    if (frame.kind !== 'body' && this.submissions.length === 0) return frame;
    const visible = this.submissions.filter((s) => this.core.visible(s.life.bornAt));
    return { kind: 'body', body: { ...this.scriptedBody(), value: this.view(visible) } };
  }

  /** `GET configure/{jobId}/status` of one of its jobs (not lagged). */
  readJob(job: Job): Frame {
    this.tick();
    return job.read();
  }

  /**
   * A configure request for this product: its changed resources, its submission, or both. A job
   * always (202); the changes only when nothing is being published and they pass the business rules,
   * the submission only when the real state allows it — else a job that fails with the service's
   * words, and nothing of the request is applied or published.
   */
  configure(changes: Resource[], submission?: SubmissionRequest): Job {
    const kind = !submission
      ? 'resources'
      : submission.targetType === 'live'
        ? 'goLive'
        : 'publish';
    const now = this.view(this.submissions);
    let resolved: Resource[] = [];
    if (changes.length > 0) {
      if (now.some(inProgress)) {
        return this.refusedJob(kind, 'configure', [{ code: 'productLocked', message: LOCKED }]);
      }
      const published = (plan: string, version: string) =>
        [this.resources('preview'), this.resources('live')].some((t) =>
          hasVersion(t, plan, version),
        );
      const checked = this.tree.check(changes, published);
      if (checked.errors.length > 0) return this.refusedJob(kind, 'configure', checked.errors);
      resolved = checked.resolved;
    }
    if (submission) {
      const refusal = this.submissionRefusal(now, submission);
      if (refusal) {
        const write = submission.targetType === 'live' ? 'go-live' : 'publish';
        return this.refusedJob(kind, write, [refusal]);
      }
    }
    const resourceIds = this.tree.apply(resolved);
    if (!submission) {
      const job = this.newJob('resources', jobFrames('succeeded').slice(-1));
      this.core.recordStart({ kind: 'configure', id: job.id, resourceIds });
      return job;
    }
    const id = submission.id ?? this.nextSubmissionId(now);
    return this.start(submission.targetType, id, changes.length > 0 ? resourceIds : undefined);
  }

  /** Why the real state refuses a submission: one in progress, or a live of a preview not the latest. */
  private submissionRefusal(
    now: Entry[],
    { targetType, id }: SubmissionRequest,
  ): { code: string; message: string } | undefined {
    if (now.some(inProgress)) {
      return { code: 'conflict', message: 'An In Progress submission already exists.' };
    }
    if (targetType !== 'live') return undefined;
    const preview = now.filter((e) => e.target?.targetType === 'preview').at(-1);
    const latest =
      preview && is(preview.status, 'completed') && is(preview.result, 'succeeded')
        ? preview.id
        : undefined;
    if (id && id === latest) return undefined;
    return {
      code: 'invalidState',
      message: 'The submission cannot be pushed to as its not the latest.',
    };
  }

  private start(targetType: 'preview' | 'live', id: string, changed?: string[]): Job {
    this.scripted.freeze();
    for (const s of this.submissions) s.life.freeze();
    for (const j of this.jobs) j.life.freeze();
    const fails = targetType === 'preview' && this.settings.publishOutcome === 'fails';
    const outcome = fails ? 'failed' : 'succeeded';
    // A failing publish fails within a second, whoever reads it; the others move read by read.
    const life = Lifecycle.startedNow(submissionFrames(outcome), this.core.clock, fails);
    const submission = new Submission(id, targetType, this.settings.guid, life);
    // A preview carries the draft as it is now; a live entry, what its preview carried.
    const preview = this.submissions
      .filter((s) => s.id === id && s.targetType === 'preview')
      .at(-1);
    this.carried.set(
      submission,
      targetType === 'preview'
        ? this.tree.list()
        : copy((preview && this.carried.get(preview)) ?? this.initial),
    );
    this.submissions.push(submission);
    const errors = fails ? [{ ...CERTIFICATION_ERRORS[0], resourceId: id }] : [];
    const job = this.newJob(
      targetType === 'preview' ? 'publish' : 'goLive',
      jobFrames(outcome, errors),
      submission,
      fails,
    );
    // The change it applied first, then the submission (a go-live's live entry has its preview's id).
    if (changed) this.core.recordStart({ kind: 'configure', id: job.id, resourceIds: changed });
    this.core.recordStart({
      kind: targetType === 'preview' ? 'publish' : 'go-live',
      id,
      previewId: id,
    });
    return job;
  }

  /** A job that fails at once with `errors`; the refusal is recorded as a `write` refused. */
  private refusedJob(
    kind: 'publish' | 'goLive' | 'resources',
    write: 'publish' | 'go-live' | 'configure',
    errors: (JobError | { code: string; message: string })[],
  ): Job {
    this.core.recordRefusal({ kind: write, code: errors[0]!.code });
    return this.newJob(kind, [{ kind: 'body', body: jobBody('completed', 'failed', errors) }]);
  }

  private newJob(
    kind: 'publish' | 'goLive' | 'resources',
    frames: Frame[],
    submission?: Submission,
    timed = false,
  ): Job {
    // The known ids go to the first preview and live jobs; the others are fresh.
    const first =
      kind === 'resources' ? guid('ingestion-resources-job') : this.settings.firstJobIds[kind];
    const id = this.core.nextId(`ingestion-${kind}-job`, first);
    const life = Lifecycle.startedNow(frames, this.core.clock, timed);
    const job = new Job(id, this.settings.guid, life, true, submission);
    this.jobs.push(job);
    return job;
  }

  /** The sample's preview number, or the next one no submission of the product has. */
  private nextSubmissionId(listed: Entry[]): string {
    const taken = new Set([...listed.map((e) => e.id), ...this.submissions.map((s) => s.id)]);
    let n = FIRST_SUBMISSION;
    while (taken.has(`submission/${this.settings.guid}/${n}`)) n++;
    return `submission/${this.settings.guid}/${n}`;
  }

  private scriptedBody(): Record<string, unknown> {
    const b = this.scripted.body();
    return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
  }

  /**
   * The entries with `created` applied to the scenario's: a new preview replaces the listed one (one
   * entry per target); a new live entry is listed beside the old one while it runs, and replaces it
   * once it has completed (the same submission then stands for preview and live).
   */
  private view(created: Submission[]): Entry[] {
    const base = Array.isArray(this.scriptedBody().value)
      ? (this.scriptedBody().value as Entry[])
      : [];
    const target = (e: Entry) => e.target?.targetType;
    const others = base.filter((e) => target(e) !== 'preview' && target(e) !== 'live');
    let previews = base.filter((e) => target(e) === 'preview');
    let lives = base.filter((e) => target(e) === 'live');
    for (const s of created) {
      const e = s.entry();
      if (s.targetType === 'preview') previews = [e];
      else lives = is(e.status, 'completed') ? [e] : [...lives, e];
    }
    const running = lives.filter(inProgress);
    return [...others, ...lives.filter((e) => !inProgress(e)), ...previews, ...running];
  }
}
