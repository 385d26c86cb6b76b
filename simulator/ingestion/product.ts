/**
 * One product as the product-ingestion service holds it: the scenario's submissions (its state
 * before this run), its draft resources and the trees its previews and live submissions carried,
 * the submissions and configure jobs this run's requests created (a change applied when its job
 * succeeds), the lagged view of `GET submission/{productGuid}`, and the service's decisions on a
 * configure request, taken from its real state.
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
import { modularPublishMissing } from './modular.js';
import {
  ResourceTree,
  copy,
  hasVersion,
  overlay,
  type JobError,
  type Published,
  type Resource,
} from './resources.js';

/**
 * A change's configure job moves on a frame this long after it starts, at the latest (it moves
 * on with each read of the product too): done within 10 s whether anyone reads it or not.
 */
const CHANGE_FRAME_MS = 5_000;

/** The docs' sample preview's number: the first the simulator gives a new submission. */
const FIRST_SUBMISSION = 1152921515689848683n;

/** A job error a test makes the service answer a change with (`changeRefusal`). */
export interface JobRefusal {
  code: string;
  message: string;
  resourceId?: string;
}

export interface ProductSettings extends WriteSettings {
  offerId: string;
  guid: string;
  /** The ids of the first preview and live jobs the simulator creates. */
  firstJobIds: { publish: string; goLive: string };
  /** Its draft resources before this run (this product's ids). */
  resources: Resource[];
  /**
   * What the scenario's previews and live submission carried (this product's ids); default: the
   * draft before the run.
   */
  published?: Resource[];
  /** The next change-only configure requests fail at once with these (one each, in order). */
  changeRefusals?: JobRefusal[];
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
  /** What the scenario's previews and live submission carried (its draft without `draftEdits`). */
  private readonly initial: Resource[];
  /** The draft before this run. */
  private readonly draftBefore: Resource[];
  /** The targets the scenario lists an entry of (in any frame): those published before this run. */
  private readonly listedTargets: Set<string>;
  /** The tree each submission of this run carried (a preview: the draft when it started). */
  private readonly carried = new Map<Submission, Resource[]>();
  /** Change jobs still running, and what each stores in the draft when it succeeds. */
  private pending: { job: Job; resolved: Resource[] }[] = [];
  private readonly changeRefusals: JobRefusal[];

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
    this.initial = copy(settings.published ?? settings.resources);
    this.draftBefore = copy(settings.resources);
    this.tree = new ResourceTree(settings.guid, settings.resources);
    this.listedTargets = listedTargets(scenario);
    this.changeRefusals = [...(settings.changeRefusals ?? [])];
  }

  /**
   * Its resources for a target: the draft as it is; preview and live, the tree the last of this
   * run's submissions of that target to complete successfully carried, else what the scenario's
   * submissions carried if it lists one of that target, else none (never published there). From
   * the real state, not lagged.
   */
  resources(targetType: 'draft' | 'preview' | 'live'): Resource[] {
    // A change whose job has succeeded by now is in the draft, whoever read the job.
    this.settle();
    if (targetType === 'draft') return this.tree.list();
    // A preview carries what it publishes from the moment its submission exists, running or
    // not (the docs do not say; a tree that lagged a running preview would have clients publish
    // the same draft again). Live: what the last go-live that succeeded carried.
    const last =
      targetType === 'preview'
        ? this.submissions.filter((s) => s.targetType === 'preview').at(-1)
        : this.lastSucceeded(targetType);
    if (last) return copy(this.carried.get(last)!);
    if (this.listedTargets.has(targetType)) return copy(this.initial);
    // Once live, one submission stands for preview and live: a listing of only a live entry has
    // that preview too.
    return targetType === 'preview' && this.listedTargets.has('live') ? copy(this.initial) : [];
  }

  /** An edit of the draft made elsewhere (a person in Partner Center): `edit` gets a copy. */
  editDraft(edit: (draft: Resource[]) => Resource[] | void): void {
    const draft = this.tree.list();
    this.tree.replace(edit(draft) ?? draft);
  }

  private lastSucceeded(targetType: 'preview' | 'live'): Submission | undefined {
    return this.submissions
      .filter((s) => {
        const e = s.entry();
        return (
          s.targetType === targetType && is(e.status, 'completed') && is(e.result, 'succeeded')
        );
      })
      .at(-1);
  }

  /** A status read of this product (its submissions or one of its jobs): everything moves on one read. */
  private tick(): void {
    this.core.countRead();
    this.scripted.tick();
    for (const s of this.submissions) s.life.tick();
    for (const j of this.jobs) j.life.tick();
    this.settle();
  }

  /** Change jobs that have ended: a success stores its resources in the draft; a cancel, nothing. */
  private settle(): void {
    this.pending = this.pending.filter(({ job, resolved }) => {
      const frame = job.read();
      const now = frame.kind === 'body' ? (frame.body as Record<string, unknown>) : {};
      if (!is(now.jobStatus, 'completed')) return true;
      if (is(now.jobResult, 'succeeded')) this.tree.apply(resolved);
      return false;
    });
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
   * always (202). Changes alone make a change job that applies them to the draft when it succeeds,
   * a few reads later. With a preview submission they are a modular publish: applied and published
   * at once, alone, when the request holds every resource one needs. Anything refused fails its job
   * at once with the service's words, and nothing of the request is applied or published.
   */
  configure(changes: Resource[], submission?: SubmissionRequest): Job {
    // What an earlier change's job did by now comes first: a publish carries it.
    this.settle();
    if (!submission) return this.change(changes);
    const kind = submission.targetType === 'live' ? 'goLive' : 'publish';
    if (submission.targetType === 'live' && changes.length > 0) {
      // The docs: "there is no option to perform a modular publish when publishing to live".
      return this.refusedJob(kind, 'go-live', [
        {
          resourceId: submission.id ?? `product/${this.settings.guid}`,
          code: 'businessValidationError',
          message:
            'A live submission takes no other resources: publish them to preview first (a modular publish goes to preview only).',
        },
      ]);
    }
    const now = this.view(this.submissions);
    let resolved: Resource[] | undefined;
    if (changes.length > 0) {
      if (now.some(inProgress)) {
        return this.refusedJob(kind, 'configure', [{ code: 'productLocked', message: LOCKED }]);
      }
      const checked = this.tree.check(changes, this.published);
      if (checked.errors.length > 0) return this.refusedJob(kind, 'configure', checked.errors);
      const missing = modularPublishMissing(
        checked.resolved,
        this.tree.productId,
        this.tree.list(),
      );
      if (missing.length > 0) return this.refusedJob(kind, 'publish', missing);
      resolved = checked.resolved;
    }
    const refusal = this.submissionRefusal(now, submission);
    if (refusal) {
      const write = submission.targetType === 'live' ? 'go-live' : 'publish';
      return this.refusedJob(kind, write, [refusal]);
    }
    if (resolved) this.tree.apply(resolved);
    const id = submission.id ?? this.nextSubmissionId(now);
    return this.start(submission.targetType, id, resolved);
  }

  /**
   * Changes alone: refused at once while a submission is in progress, when a refusal was asked
   * for, or against the business rules; else a job that applies them when it succeeds.
   */
  private change(changes: Resource[]): Job {
    if (this.view(this.submissions).some(inProgress)) {
      return this.refusedJob('resources', 'configure', [
        { code: 'productLocked', message: LOCKED },
      ]);
    }
    const asked = this.changeRefusals.shift();
    if (asked) return this.refusedJob('resources', 'configure', [asked]);
    const checked = this.tree.check(changes, this.published);
    if (checked.errors.length > 0) return this.refusedJob('resources', 'configure', checked.errors);
    const job = this.newJob('resources', jobFrames('succeeded'));
    this.pending.push({ job, resolved: checked.resolved });
    const resourceIds = checked.resolved.map((r) => String(r.id));
    this.core.recordStart({ kind: 'configure', id: job.id, resourceIds });
    return job;
  }

  /** What preview and live hold: a published version cannot be deleted, and more. */
  private readonly published: Published = {
    version: (plan, version) =>
      [this.resources('preview'), this.resources('live')].some((t) => hasVersion(t, plan, version)),
    resources: (id) =>
      [this.resources('preview'), this.resources('live')].flatMap((t) =>
        t.filter((r) => r.id === id),
      ),
  };

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

  /** Starts a submission; `modular`: the resources a modular publish carries alone. */
  private start(targetType: 'preview' | 'live', id: string, modular?: Resource[]): Job {
    this.scripted.freeze();
    for (const s of this.submissions) s.life.freeze();
    // A change job runs on to its end: it is not superseded by a publish.
    const running = new Set(this.pending.map((p) => p.job));
    for (const j of this.jobs) if (!running.has(j)) j.life.freeze();
    const fails = targetType === 'preview' && this.settings.publishOutcome === 'fails';
    const outcome = fails ? 'failed' : 'succeeded';
    // A failing publish fails within a second, whoever reads it; the others move read by read.
    const life = Lifecycle.startedNow(submissionFrames(outcome), this.core.clock, fails);
    const submission = new Submission(id, targetType, this.settings.guid, life);
    // A preview carries the draft as it is now (a modular one, only its resources on top of the
    // latest preview); a live entry, what its preview carried.
    const preview = this.submissions
      .filter((s) => s.id === id && s.targetType === 'preview')
      .at(-1);
    this.carried.set(
      submission,
      targetType === 'live'
        ? copy((preview && this.carried.get(preview)) ?? this.initial)
        : modular
          ? overlay(this.modularBase(), modular)
          : this.tree.list(),
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
    if (modular) {
      const resourceIds = modular.map((r) => String(r.id));
      this.core.recordStart({ kind: 'configure', id: job.id, resourceIds });
    }
    this.core.recordStart({
      kind: targetType === 'preview' ? 'publish' : 'go-live',
      id,
      previewId: id,
    });
    return job;
  }

  /**
   * What a modular publish's resources go on top of: the last preview that succeeded in this run,
   * else the scenario's (if it lists one), else the draft before the run.
   */
  private modularBase(): Resource[] {
    const latest = this.lastSucceeded('preview');
    if (latest) return this.carried.get(latest)!;
    return this.listedTargets.has('preview') ? this.initial : this.draftBefore;
  }

  /** A job that fails at once with `errors`; the refusal is recorded as a `write` refused. */
  private refusedJob(
    kind: 'publish' | 'goLive' | 'resources',
    write: 'publish' | 'go-live' | 'configure',
    errors: (JobError | JobRefusal)[],
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
    // A change's job is the service's own work: done within seconds, read or not.
    const life =
      kind === 'resources'
        ? Lifecycle.workedOn(frames, this.core.clock, CHANGE_FRAME_MS)
        : Lifecycle.startedNow(frames, this.core.clock, timed);
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

/** The targets (`preview`, `live`) a scenario lists an entry of, in any frame. */
function listedTargets(scenario: IngestionScenario): Set<string> {
  const targets = new Set<string>();
  for (const frame of scenario.submissions) {
    if (frame.kind !== 'body') continue;
    const value = (frame.body as { value?: unknown } | undefined)?.value;
    if (!Array.isArray(value)) continue;
    for (const e of value as Entry[]) {
      const t = e?.target?.targetType;
      if (typeof t === 'string') targets.add(t);
    }
  }
  return targets;
}
