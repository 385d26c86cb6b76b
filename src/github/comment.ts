/**
 * The plan as one comment on the pull request, updated in place on every run: found by the
 * hidden marker its body starts with, else created. GitHub's REST API goes through the same HTTP
 * layer as the publishing APIs. A failure never changes the step's result: it is one warning, and
 * the plan stays in the job summary. Every call obeys the step's deadline and cancellation.
 */
import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { oneLine } from '../core/html.js';
import { ApiError } from '../http/api-error.js';
import type { CallOptions, HttpClient } from '../http/client.js';
import { apiUrl } from '../http/url.js';
import type { RunContext } from './context.js';

/** GitHub's largest page. */
const PER_PAGE = 100;
/** Pages of comments read at most: a pull request with more is rare, and then a new comment is made. */
const MAX_PAGES = 10;

const CommentSchema = v.looseObject({
  id: v.number(),
  body: v.nullish(v.string()),
  user: v.nullish(v.looseObject({ login: v.nullish(v.string()), type: v.nullish(v.string()) })),
  html_url: v.nullish(v.string()),
});
type Comment = v.InferOutput<typeof CommentSchema>;
const CommentsSchema = v.array(CommentSchema);

export interface PlanCommentOptions {
  http: HttpClient;
  context: RunContext;
  prNumber: number;
  /** The whole comment; it starts with `marker`. */
  body: string;
  marker: string;
  /**
   * Whose comment to update when several start with the marker (e.g. `github-actions[bot]`);
   * without it, a bot's is preferred over a person's.
   */
  author?: string;
  /** Said once when GitHub refuses or fails: the step goes on. */
  warning(message: string): void;
  /** Where the comment is, once written; and a step that stopped before writing it. */
  info(message: string): void;
  /** Fires when the step is cancelled or reaches its deadline: calls end, and none start after. */
  signal?: AbortSignal;
  /** The step's deadline (ms on the `now` clock): no call goes on past it. */
  deadline?: number;
  now?: () => number;
}

export interface WrittenComment {
  action: 'created' | 'updated' | 'unchanged';
  id: number;
  url: string;
}

const PERMISSION_HINT =
  'The job needs `permissions: pull-requests: write` (and a pull request from a fork gets a ' +
  'read-only token, which cannot comment).';

/**
 * Writes the plan comment on pull request `prNumber`: the newest comment whose body starts with
 * `marker` is updated (if its body differs), else a new one is made. Never throws: a refusal, a
 * failure, the deadline or a cancellation is said once, and the result is then undefined.
 */
export async function postPlanComment(o: PlanCommentOptions): Promise<WrittenComment | undefined> {
  const now = o.now ?? Date.now;
  // The deadline as a signal too: a GitHub that stalls is left at the deadline even when nothing
  // else fires then (the step's own expiry may be set later than this call's deadline).
  const left = (o.deadline ?? Infinity) - now();
  const expiry = new AbortController();
  // (A timer over 2^31 ms would fire at once; a deadline that far is no deadline for this call.)
  const timer =
    left < 2 ** 31 - 1
      ? setTimeout(
          () => expiry.abort(new DOMException('The step ran out of time.', 'TimeoutError')),
          Math.max(0, left),
        )
      : undefined;
  const signal = o.signal ? AbortSignal.any([o.signal, expiry.signal]) : expiry.signal;
  const stopped = () => signal.aborted || now() >= (o.deadline ?? Infinity);
  const call = (retries: number): CallOptions => ({ retries, signal, deadline: o.deadline });
  const url = (segments: string[], query: Record<string, string> = {}) =>
    apiUrl(
      new URL(o.context.apiUrl),
      ['repos', o.context.owner, o.context.repo, ...segments],
      query,
    );
  const pr = String(o.prNumber);
  try {
    if (stopped()) return skip(o, signal, now);
    // The marker is how the next run finds this comment: it leads, whatever the caller made.
    const body = o.body.startsWith(o.marker) ? o.body : `${o.marker}\n\n${o.body}`;
    const existing = await findComment(o, (page) =>
      o.http.get(
        url(['issues', pr, 'comments'], { per_page: String(PER_PAGE), page: String(page) }),
        CommentsSchema,
        call(2),
      ),
    );
    if (existing?.body === body) return said(o, 'unchanged', existing);
    if (stopped()) return skip(o, signal, now);
    if (existing) {
      try {
        const answer = await o.http.patch(
          url(['issues', 'comments', String(existing.id)]),
          { body },
          CommentSchema,
          call(0),
        );
        return said(o, 'updated', answer.body);
      } catch (error) {
        // Deleted since it was listed: a new one takes its place.
        if (!(error instanceof ApiError && error.status === 404) || stopped()) throw error;
      }
    }
    const answer = await o.http.post(
      url(['issues', pr, 'comments']),
      { body },
      CommentSchema,
      call(0),
    );
    return said(o, 'created', answer.body);
  } catch (error) {
    if (stopped()) return skip(o, signal, now);
    const text = oneLine(error instanceof Error ? error.message : String(error));
    const refused = error instanceof ApiError && (error.status === 403 || error.status === 404);
    o.warning(
      `Could not write the plan comment on pull request #${pr}: ${text}` +
        `${refused ? ` ${PERMISSION_HINT}` : ''} The plan is in the job summary; the step's ` +
        'result does not depend on the comment.',
    );
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The comment to update: among those whose body starts with the marker, the newest by `author`,
 * else the newest by a bot, else the newest. Reads at most `MAX_PAGES` pages, oldest first.
 */
async function findComment(
  o: PlanCommentOptions,
  page: (n: number) => Promise<Comment[]>,
): Promise<Comment | undefined> {
  const marked: Comment[] = [];
  for (let n = 1; n <= MAX_PAGES; n++) {
    const comments = await page(n);
    marked.push(...comments.filter((c) => c.body?.startsWith(o.marker)));
    if (comments.length < PER_PAGE) break;
  }
  const newest = (cs: Comment[]) =>
    cs.reduce<Comment | undefined>((a, c) => (a && a.id > c.id ? a : c), undefined);
  return (
    (o.author ? newest(marked.filter((c) => c.user?.login === o.author)) : undefined) ??
    newest(marked.filter((c) => c.user?.type === 'Bot')) ??
    newest(marked)
  );
}

function said(o: PlanCommentOptions, action: WrittenComment['action'], c: Comment): WrittenComment {
  const url = oneLine(c.html_url ?? '');
  const words = { created: 'Wrote', updated: 'Updated', unchanged: 'Kept' }[action];
  o.info(`${words} the plan comment on pull request #${o.prNumber}${url ? `: ${url}` : ''}.`);
  return { action, id: c.id, url };
}

/** Said plainly: a stopped step is no GitHub failure, and needs no permission. */
function skip(o: PlanCommentOptions, signal: AbortSignal, now: () => number): undefined {
  // `AbortSignal.timeout` (the step's expiry) aborts with a TimeoutError.
  const reason = signal.reason as { name?: unknown } | undefined;
  const timedOut = now() >= (o.deadline ?? Infinity) || reason?.name === 'TimeoutError';
  o.info(
    `Not writing the plan comment on pull request #${o.prNumber}: the step ` +
      `${timedOut ? 'ran out of time (timeout)' : 'was cancelled'}.`,
  );
  return undefined;
}

/**
 * The pull request the workflow runs for: `pull_request.number` of the event (for
 * `pull_request` and `pull_request_target`), else the `refs/pull/<n>/merge` ref; undefined when
 * the run is for no pull request.
 */
export function pullRequestNumber(
  env: Record<string, string | undefined>,
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): number | undefined {
  const event = env.GITHUB_EVENT_NAME ?? '';
  if ((event === 'pull_request' || event === 'pull_request_target') && env.GITHUB_EVENT_PATH) {
    try {
      const payload = JSON.parse(read(env.GITHUB_EVENT_PATH)) as {
        pull_request?: { number?: unknown };
      };
      const n = payload?.pull_request?.number;
      if (typeof n === 'number' && Number.isSafeInteger(n) && n > 0) return n;
    } catch {
      // Unreadable: the ref may still name it.
    }
  }
  const ref = /^refs\/pull\/(\d{1,10})\/merge$/.exec(env.GITHUB_REF ?? '');
  const n = ref ? Number(ref[1]) : 0;
  return n > 0 ? n : undefined;
}
