/**
 * One product as the product-ingestion service holds it: the scenario's submissions (its state
 * before this run), the submissions and configure jobs this run's requests created, the lagged view
 * of `GET submission/{productGuid}`, and the service's decisions on a configure request, taken from
 * its real state.
 */
import { guid, type ServiceCore } from '../service/core.js';
import { FaultScript, type WriteFault } from '../service/faults.js';
import { Lifecycle, type Frame } from '../service/lifecycle.js';
import {
  CERTIFICATION_ERRORS,
  jobBody,
  type Entry,
  type IngestionScenario,
} from '../ingestion-scenarios.js';
import { Job, Submission, inProgress, is, jobFrames, submissionFrames } from './entities.js';

/** The scenario's submissions and job existed before the simulator started: a day before. */
const BEFORE_START = -86_400_000;
/** A publish that fails (`publishOutcome: 'fails'`) fails this long after it starts. */
const FAILS_AFTER_MS = 1_000;
/** The docs' sample preview's number: the first the simulator gives a new submission. */
const FIRST_SUBMISSION = 1152921515689848683n;

export interface ProductSettings {
  offerId: string;
  guid: string;
  publishOutcome: 'review' | 'fails';
  publish?: WriteFault | WriteFault[];
  goLive?: WriteFault | WriteFault[];
  /** The ids of the first preview and live jobs the simulator creates. */
  firstJobIds: { publish: string; goLive: string };
}

export class Product {
  private readonly scripted: Lifecycle;
  private readonly submissions: Submission[] = [];
  /** Its configure jobs: the scenario's, if it has one, then one per configure request. */
  readonly jobs: Job[] = [];
  readonly faults: { publish: FaultScript; goLive: FaultScript };

  constructor(
    private readonly core: ServiceCore,
    readonly settings: ProductSettings,
    scenario: IngestionScenario,
    knownJobId?: string,
  ) {
    this.scripted = new Lifecycle(scenario.submissions, 'per-read', core.clock, BEFORE_START);
    if (scenario.job && knownJobId) {
      const life = new Lifecycle(scenario.job, 'per-read', core.clock, BEFORE_START);
      this.jobs.push(new Job(knownJobId, settings.guid, life, false));
    }
    this.faults = {
      publish: new FaultScript(settings.publish),
      goLive: new FaultScript(settings.goLive),
    };
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
   * A configure request with a submission for this product: a job always (202); the submission
   * only when the real state allows it, else a job that fails with the service's words.
   */
  configure(targetType: 'preview' | 'live', id: string | undefined): Job {
    const now = this.view(this.submissions);
    if (now.some(inProgress)) {
      return this.refusedJob(targetType, 'conflict', 'An In Progress submission already exists.');
    }
    if (targetType === 'live') {
      const preview = now.filter((e) => e.target?.targetType === 'preview').at(-1);
      const latest =
        preview && is(preview.status, 'completed') && is(preview.result, 'succeeded')
          ? preview.id
          : undefined;
      if (!id || id !== latest) {
        return this.refusedJob(
          targetType,
          'invalidState',
          'The submission cannot be pushed to as its not the latest.',
        );
      }
    }
    return this.start(targetType, id ?? this.nextSubmissionId(now));
  }

  /** A configure request without a submission (only resources): a job that just succeeds. */
  configureResources(): Job {
    return this.newJob('resources', jobFrames('succeeded').slice(-1));
  }

  private start(targetType: 'preview' | 'live', id: string): Job {
    this.scripted.freeze();
    for (const s of this.submissions) s.life.freeze();
    for (const j of this.jobs) j.life.freeze();
    const fails = targetType === 'preview' && this.settings.publishOutcome === 'fails';
    const outcome = fails ? 'failed' : 'succeeded';
    // A failing publish fails within a second, whoever reads it; the others move read by read.
    const lifeOf = (frames: Frame[]) =>
      fails
        ? Lifecycle.timed(frames, FAILS_AFTER_MS, this.core.clock)
        : new Lifecycle(frames, 'per-read', this.core.clock, this.core.clock());
    const life = lifeOf(submissionFrames(outcome));
    const submission = new Submission(id, targetType, this.settings.guid, life);
    this.submissions.push(submission);
    const errors = fails ? [{ ...CERTIFICATION_ERRORS[0], resourceId: id }] : [];
    const job = this.newJob(
      targetType === 'preview' ? 'publish' : 'goLive',
      jobFrames(outcome, errors),
      submission,
      fails,
    );
    // What the service started is the submission (a go-live's live entry has its preview's id).
    this.core.recordStart({
      kind: targetType === 'preview' ? 'publish' : 'go-live',
      id,
      previewId: id,
    });
    return job;
  }

  private refusedJob(targetType: 'preview' | 'live', code: string, message: string): Job {
    const kind = targetType === 'preview' ? 'publish' : 'goLive';
    this.core.recordRefusal({ kind: kind === 'publish' ? 'publish' : 'go-live', code });
    return this.newJob(kind, [
      { kind: 'body', body: jobBody('completed', 'failed', [{ code, message }]) },
    ]);
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
    const life = timed
      ? Lifecycle.timed(frames, FAILS_AFTER_MS, this.core.clock)
      : new Lifecycle(frames, 'per-read', this.core.clock, this.core.clock());
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
