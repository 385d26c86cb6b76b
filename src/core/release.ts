/**
 * What a step will send for one offer, decided once from what the service shows: the one planner
 * the dry run and the real run share. The dry run reports its plan; the real run carries it out
 * (and reports it as the `plan` output). Pure: the facts in, the decision out.
 */

/** `start` a publish, `join` the one that runs, `wait-then-start` (for the one that runs to end), or `none`. */
type PublishDecision = 'start' | 'join' | 'wait-then-start' | 'none';
type GoLiveDecision = 'send' | 'none';

/** One offer's entry in the `plan` output. */
export interface ReleasePlan {
  /** The durable ids the change sends, in its own configure request. */
  configure: string[];
  publish: PublishDecision;
  goLive: GoLiveDecision;
  /** What the publish would push over the latest preview, in words; empty when none is started. */
  pushes: string[];
}

/** Where the offer's latest preview stands, as far as the API tells. */
export type PreviewState = 'running' | 'signoff' | 'failed' | 'live';

/** What the service shows, read before anything is sent. */
export interface ReleaseState {
  /** A publish or go-live runs now: a second one would be refused. */
  running?: { kind: 'publish' | 'go-live'; id: string };
  /**
   * The latest preview (ingestion: the preview submission; CPP: unknown, left out), or none when the
   * offer was never published. `undefined` with `known: false`: the API cannot tell.
   */
  preview?: { id: string; state: PreviewState };
  /** Whether `preview` and `pushes` are known (product-ingestion) or not (CPP). */
  known: boolean;
  /**
   * What publishing the draft, with this step's change in it, would push over the latest preview
   * (empty: the latest preview holds the draft). Meaningful when `known`.
   */
  pushes: string[];
  /**
   * With change inputs: whether the latest preview already carries this step's change (planned
   * against the preview's resources, everything is already there).
   */
  carries: boolean;
}

/** What the inputs ask. */
export interface ReleaseAsk {
  publish: boolean;
  goLive: boolean;
  /** Any change input (`plan-id`/`vm-image*`, `resources`) was given. */
  changeAsked: boolean;
  /** The durable ids the change must send (empty when the draft holds it already). */
  configure: string[];
  /** `preview-id`: the go-live is only for this preview. Empty: not pinned. */
  previewId: string;
}

const NOTHING: ReleasePlan = { configure: [], publish: 'none', goLive: 'none', pushes: [] };

/** The plan of a step that sends nothing (read-only, or before anything could be read). */
export function nothingPlanned(): ReleasePlan {
  return { ...NOTHING, configure: [], pushes: [] };
}

function publishDecision(ask: ReleaseAsk, state: ReleaseState): PublishDecision {
  if (!ask.publish) return 'none';
  // A change goes in its own request and needs a publish of its own, never during another one.
  if (ask.configure.length > 0) return state.running ? 'wait-then-start' : 'start';
  // One runs: followed, never doubled, and never restarted (a re-run finishes its release).
  if (state.running) return 'join';
  // CPP cannot compare the draft with the preview: it publishes.
  if (!state.known) return 'start';
  const { preview } = state;
  if (!preview || preview.state === 'failed') return 'start';
  // The draft holds something the latest preview lacks: only a new publish pushes it.
  if (state.pushes.length > 0) return 'start';
  // The latest preview is the draft: it is this release's, followed as it is.
  return 'none';
}

function goLiveDecision(
  ask: ReleaseAsk,
  state: ReleaseState,
  publish: PublishDecision,
): GoLiveDecision {
  if (!ask.goLive) return 'none';
  // This step's own preview, once it reaches the sign-off.
  if (publish === 'start' || publish === 'wait-then-start') return 'send';
  if (!state.known) {
    // CPP: a joined publish was started elsewhere and is never pushed live by this step.
    return publish === 'join' ? 'none' : 'send';
  }
  const { preview, running } = state;
  // A go-live needs a preview on its way to (or at) the sign-off; going live or live: nothing to do.
  if (!preview || (preview.state !== 'running' && preview.state !== 'signoff')) return 'none';
  if (running?.kind === 'go-live') return 'none';
  if (ask.previewId && preview.id !== ask.previewId) return 'none';
  // Only a preview that carries this step's change (a change still to send is in none).
  if (ask.changeAsked) return ask.configure.length === 0 && state.carries ? 'send' : 'none';
  if (ask.previewId) return 'send';
  // With publish, only a preview that is the draft; without, the go-live job pushes the preview
  // at the sign-off, whatever the draft holds since.
  return !ask.publish || state.pushes.length === 0 ? 'send' : 'none';
}

/** The one decision: what the step sends, in the order it sends them. */
export function planRelease(ask: ReleaseAsk, state: ReleaseState): ReleasePlan {
  const publish = publishDecision(ask, state);
  const goLive = goLiveDecision(ask, state, publish);
  const starts = publish === 'start' || publish === 'wait-then-start';
  return {
    configure: [...ask.configure],
    publish,
    goLive,
    pushes: starts && state.known ? [...state.pushes] : [],
  };
}

/** Why a go-live is not sent, in words, when it was asked and the plan says `none`. */
export function whyNoGoLive(ask: ReleaseAsk, state: ReleaseState, plan: ReleasePlan): string {
  const { preview, running } = state;
  if (!state.known && plan.publish === 'join') {
    return "the publish that runs was started elsewhere and may not hold this run's changes";
  }
  if (!preview) return 'the offer has no preview to push live';
  if (preview.state === 'live') return `the latest preview (${preview.id}) is live already`;
  if (preview.state === 'failed') return `the latest preview (${preview.id}) failed`;
  if (running?.kind === 'go-live') return `a go-live runs already (${running.id})`;
  if (ask.previewId && preview.id !== ask.previewId) {
    return `the latest preview is ${preview.id}, not ${ask.previewId} (preview-id)`;
  }
  if (ask.changeAsked && ask.configure.length > 0) {
    return 'the change is not in any preview yet (publish: true publishes it)';
  }
  if (ask.changeAsked && !state.carries) {
    return `the latest preview (${preview.id}) does not carry this step's change`;
  }
  if (ask.publish && state.pushes.length > 0) {
    return `the latest preview (${preview.id}) lacks what the draft holds since (${state.pushes.slice(0, 3).join(', ')})`;
  }
  return 'nothing waits for a go-live';
}
