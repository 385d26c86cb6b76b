/**
 * An offer's publish remembered as a GitHub deployment, one environment per offer: read what the
 * last run recorded (at most 2 reads), and record each change of the offer's status (never once
 * per poll). GitHub's REST API goes through the same HTTP layer as the publishing APIs. A GitHub
 * failure never changes the step's result: it is one warning, and `changed` is then empty. Every
 * call obeys the step's deadline and cancellation: once the step stops, GitHub is not asked again.
 */
import * as v from 'valibot';
import {
  deploymentState,
  describeStatus,
  statusOfDescription,
  type Tracking,
} from '../core/deployment.js';
import { docsUrl } from '../core/docs.js';
import { currentStep, type Snapshot } from '../core/model.js';
import type { FailOn } from '../core/end.js';
import { ApiError } from '../http/api-error.js';
import type { CallOptions, HttpClient } from '../http/client.js';
import { apiUrl } from '../http/url.js';
import { environmentUrl, runUrl, type RunContext } from './context.js';

const DeploymentsSchema = v.array(
  v.looseObject({
    id: v.number(),
    payload: v.nullish(v.unknown()),
    created_at: v.nullish(v.unknown()),
  }),
);
const StatusesSchema = v.array(
  v.looseObject({
    state: v.nullish(v.unknown()),
    description: v.nullish(v.unknown()),
    created_at: v.nullish(v.unknown()),
  }),
);
const CreatedSchema = v.looseObject({ id: v.number() });

export interface TrackerOptions {
  http: HttpClient;
  context: RunContext;
  environment: string;
  api: string;
  publisherId: string;
  offerId: string;
  failOn: FailOn;
  /** Said once when GitHub refuses or fails: the step goes on. */
  warning(message: string): void;
  /**
   * Said once when the step was cancelled or ran out of time before the record was made (not a
   * GitHub problem, so no warning); `warning` when not given.
   */
  info?(message: string): void;
  /** Fires when the step is cancelled or reaches its deadline: calls end, and none start after. */
  signal?: AbortSignal;
  /** The step's deadline (ms on the `now` clock): retries and the waits they ask for stop there. */
  deadline?: number;
  now?: () => number;
}

const PERMISSION_HINT =
  'The job needs `permissions: deployments: write` (and a pull request from a fork gets a ' +
  `read-only token, which cannot record deployments). See ${docsUrl('tracking')}.`;

export class DeploymentTracker {
  private deploymentId: number | undefined;
  /** The operation the latest deployment is for, from its payload. */
  private deploymentOperation = '';
  /** The preview at the sign-off the latest deployment records (`preview-id`), from its payload. */
  private deploymentPreview = '';
  private lastStatus: string | undefined;
  private createdThisRun = false;
  /** GitHub refused or failed, or the step stopped: nothing more is asked of it this run. */
  private broken = false;
  readonly tracking: Tracking;
  private readonly now: () => number;

  constructor(private readonly o: TrackerOptions) {
    this.now = o.now ?? Date.now;
    this.tracking = {
      environment: o.environment,
      environmentUrl: environmentUrl(o.context, o.environment),
      read: false,
    };
  }

  /**
   * The operation (CPP) or configure job (product-ingestion) the environment's latest deployment
   * is for, as its payload's `operation-id` records it; empty when none is known.
   */
  recordedOperation(): string {
    return this.deploymentOperation;
  }

  /** What the last run recorded: the environment's latest deployment and its latest status. */
  async readPrevious(): Promise<void> {
    if (this.stopped()) return this.skip();
    try {
      const [latest] = await this.o.http.get(
        this.url(['deployments'], { environment: this.o.environment, per_page: '1' }),
        DeploymentsSchema,
        this.call(2),
      );
      if (latest) {
        this.deploymentId = latest.id;
        const payload = (latest.payload ?? {}) as Record<string, unknown>;
        this.deploymentOperation =
          typeof payload['operation-id'] === 'string' ? payload['operation-id'] : '';
        this.deploymentPreview =
          typeof payload['preview-id'] === 'string' ? payload['preview-id'] : '';
        const [status] = await this.o.http.get(
          this.url(['deployments', String(latest.id), 'statuses'], { per_page: '1' }),
          StatusesSchema,
          this.call(2),
        );
        this.lastStatus = statusOfDescription(status?.description);
        this.tracking.previousStatus = this.lastStatus;
        const at = Date.parse(String(status?.created_at ?? ''));
        if (this.lastStatus && !Number.isNaN(at)) this.tracking.previousAt = at;
      }
      this.tracking.read = true;
    } catch (error) {
      this.fail('read', error);
    }
  }

  /**
   * Records the offer's status when it changed since the last record (or this step started a
   * publish, or follows another operation than the latest deployment's: then in a new deployment).
   */
  async observe(snapshot: Snapshot, operationId: string, startedPublish: boolean): Promise<void> {
    if (this.broken || !this.tracking.read) return;
    const otherOperation =
      operationId !== '' &&
      this.deploymentOperation !== '' &&
      operationId !== this.deploymentOperation;
    // The preview waiting for the sign-off is recorded in a deployment's payload, which GitHub
    // never changes: a preview the latest deployment does not name (as its `preview-id`, or as
    // its operation: CPP's publish operation is its preview) gets a deployment of its own.
    const previewId =
      snapshot.status === 'waitingForPublisherReview' ? snapshot.subject || operationId : '';
    const otherPreview =
      previewId !== '' &&
      previewId !== this.deploymentPreview &&
      previewId !== this.deploymentOperation;
    const needNew =
      this.deploymentId === undefined ||
      (startedPublish && !this.createdThisRun) ||
      otherOperation ||
      otherPreview;
    if (!needNew && snapshot.status === this.lastStatus) return;
    if (this.stopped()) return this.skip();
    try {
      if (needNew) await this.createDeployment(operationId, previewId);
      // The deployment was made just as the step stopped: its status is not sent.
      if (this.stopped()) return this.skip();
      await this.postStatus(snapshot);
      this.lastStatus = snapshot.status;
    } catch (error) {
      this.fail('write', error);
    }
  }

  private async createDeployment(operationId: string, previewId: string): Promise<void> {
    const { context, api, publisherId, offerId, environment } = this.o;
    const answer = await this.o.http.post(
      this.url(['deployments']),
      {
        ref: context.sha,
        environment,
        required_contexts: [],
        auto_merge: false,
        description: `Marketplace publish of ${offerId}`,
        payload: {
          api,
          publisher: publisherId,
          offer: offerId,
          'operation-id': operationId,
          ...(previewId ? { 'preview-id': previewId } : {}),
        },
      },
      CreatedSchema,
      // Sent once: a second deployment would only be noise, never harm.
      this.call(0),
    );
    this.deploymentId = answer.body.id;
    this.deploymentOperation = operationId;
    this.deploymentPreview = previewId;
    this.createdThisRun = true;
    this.lastStatus = undefined;
  }

  private async postStatus(snapshot: Snapshot): Promise<void> {
    const step = currentStep(snapshot);
    const detail = step
      ? `${step.name}${step.progress === null ? '' : ` ${Math.round(step.progress)}%`}`
      : snapshot.status === 'succeeded'
        ? 'live'
        : '';
    const link = snapshot.liveLinks[0] ?? snapshot.previewLinks[0];
    const log = runUrl(this.o.context);
    await this.o.http.post(
      this.url(['deployments', String(this.deploymentId), 'statuses']),
      {
        state: deploymentState(snapshot.status, this.o.failOn),
        description: describeStatus(snapshot.status, detail),
        environment: this.o.environment,
        ...(link ? { environment_url: link } : {}),
        ...(log ? { log_url: log } : {}),
      },
      v.unknown(),
      this.call(2),
    );
  }

  private call(retries: number): CallOptions {
    return { retries, signal: this.o.signal, deadline: this.o.deadline };
  }

  /** The step was cancelled or is out of time. */
  private stopped(): boolean {
    return Boolean(this.o.signal?.aborted) || this.now() >= (this.o.deadline ?? Infinity);
  }

  /** Said once, plainly: a stopped step is no GitHub failure, and needs no permission. */
  private skip(): void {
    if (this.broken) return;
    this.broken = true;
    // `AbortSignal.timeout` (the step's expiry) aborts with a TimeoutError.
    const reason = this.o.signal?.reason as { name?: unknown } | undefined;
    const timedOut = this.now() >= (this.o.deadline ?? Infinity) || reason?.name === 'TimeoutError';
    (this.o.info ?? this.o.warning)(
      `Not recording the GitHub deployment of environment '${this.o.environment}': the step ` +
        `${timedOut ? 'ran out of time (timeout)' : 'was cancelled'}.`,
    );
  }

  private fail(what: 'read' | 'write', error: unknown): void {
    if (what === 'read') this.tracking.read = false;
    // Cut off by the step's cancellation or deadline, not refused by GitHub.
    if (this.stopped()) return this.skip();
    if (this.broken) return;
    this.broken = true;
    const said = error instanceof Error ? error.message : String(error);
    const refused = error instanceof ApiError && (error.status === 403 || error.status === 404);
    this.o.warning(
      `Could not ${what} the GitHub deployments of environment '${this.o.environment}': ${said}` +
        `${refused ? ` ${PERMISSION_HINT}` : ''} The step's result does not depend on it.`,
    );
  }

  /** `{GITHUB_API_URL}/repos/{owner}/{repo}/…`, built as every API address is. */
  private url(segments: string[], query: Record<string, string> = {}): URL {
    const { apiUrl: base, owner, repo } = this.o.context;
    return apiUrl(new URL(base), ['repos', owner, repo, ...segments], query);
  }
}
