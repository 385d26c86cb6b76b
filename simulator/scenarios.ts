/**
 * The CPP simulator's scenarios, built from the API's own examples (`fixtures/`). A scenario is the
 * offer's state BEFORE this run: the operation that already exists (its frames advance read by read,
 * or by time), not what this run's writes start — the model (`cpp/`) plays those from `afterWrites`.
 * Bodies use the offer vocabulary; the simulator rewrites them into the operation vocabulary when
 * they are read through `…/operations/{id}`.
 */
import { readFileSync } from 'node:fs';
import { hostileSequence } from './hostile.js';
import { body, type Frame } from './service/lifecycle.js';

export type { Frame } from './service/lifecycle.js';

const hostile = hostileSequence();

interface SeedStep {
  id: string;
  stepName: string;
  status: string;
  progressPercentage: number;
  messages: unknown[];
  [key: string]: unknown;
}

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

export const fixtures = {
  offerStatus: () =>
    fixture('offer-status.json') as { steps: SeedStep[] } & Record<string, unknown>,
  operation: () => fixture('operation.json') as { steps: SeedStep[] } & Record<string, unknown>,
  submissions: () => fixture('submissions.json') as { id: string }[],
  offers: () => fixture('offers.json') as { id: string }[],
};

export interface Scenario {
  description: string;
  frames: Frame[];
  /**
   * `per-read`: each status read is answered by the next frame (the last one repeats).
   * `by-time`: a frame takes over `afterMs` after the simulator started.
   */
  advance: 'per-read' | 'by-time';
  /** The id of the scenario's operation, when the simulator's `operationId` option gives none. */
  operationId?: string;
  /** Fields of its entry in `…/submissions` that differ from the model's (e.g. hostile text). */
  submission?: Record<string, unknown>;
}

type StepPatch = {
  status: string;
  progress?: number;
  messages?: { level: string; html: string }[];
};

/** The seed's step ids, in order. */
export const STEP_IDS = [
  'displaydummycertify',
  'displaycertify',
  'displayprovision',
  'displaypackage',
  'publisher-signoff',
  'live',
];
// A message keeps its timestamp from frame to frame, as the service's do: the first frame that
// shows it fixes it.
let clock = Date.parse('2026-11-02T09:00:00Z');
const stamps = new Map<string, string>();
function stamp(key: string): string {
  let value = stamps.get(key);
  if (!value) stamps.set(key, (value = new Date((clock += 61_000)).toISOString()));
  return value;
}

/** A status body: the seed's steps, all `notStarted` unless patched. */
export function statusBody(
  status: string,
  patches: Record<string, StepPatch>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const seed = fixtures.offerStatus();
  const steps = seed.steps.map((step) => {
    const patch = patches[step.id];
    return {
      ...step,
      status: patch?.status ?? 'notStarted',
      progressPercentage: patch?.progress ?? (patch?.status === 'complete' ? 100 : 0),
      messages: (patch?.messages ?? []).map((m) => ({
        messageHtml: m.html,
        level: m.level,
        timestamp: stamp(`${step.id}|${m.level}|${m.html}`),
      })),
    };
  });
  return { ...seed, status, steps, ...extra };
}

/** An offer status at certification: every step before it complete, certification as `patch`. */
const atCertification = (status: string, patch: StepPatch) =>
  statusBody(status, { ...completeBefore('displaycertify'), displaycertify: patch });

const done = (html = 'Step completed.'): StepPatch => ({
  status: 'complete',
  progress: 100,
  messages: [{ level: 'information', html }],
});

/** Every step before `id` complete. */
function completeBefore(id: string): Record<string, StepPatch> {
  const patches: Record<string, StepPatch> = {};
  for (const step of STEP_IDS) {
    if (step === id) break;
    patches[step] = done();
  }
  return patches;
}

const PREVIEW = ['https://portal.azure.com/#create/contoso.contoso-vm-preview'];
const LIVE = ['https://azuremarketplace.microsoft.com/marketplace/apps/contoso.contoso-vm'];

/** A publish from validation through certification, provisioning and packaging to the sign-off. */
function toReview(): Frame[] {
  return [
    body(statusBody('running', { displaydummycertify: { status: 'inProgress', progress: 40 } })),
    body(atCertification('running', { status: 'inProgress', progress: 10 })),
    body(
      atCertification('running', {
        status: 'inProgress',
        progress: 60,
        messages: [
          {
            level: 'warning',
            html: 'Plan <b>contoso-vm</b> has no <i>support</i> link; certification continues.',
          },
        ],
      }),
    ),
    body(
      statusBody('running', {
        ...completeBefore('displayprovision'),
        displayprovision: { status: 'inProgress', progress: 50 },
      }),
    ),
    body(
      statusBody('running', {
        ...completeBefore('displaypackage'),
        displaypackage: { status: 'inProgress', progress: 80 },
      }),
    ),
    // The offer still says `running`; the sign-off step is what says a person must look.
    body(
      statusBody(
        'running',
        {
          ...completeBefore('publisher-signoff'),
          'publisher-signoff': {
            status: 'waitingForPublisherReview',
            progress: 0,
            messages: [
              {
                level: 'information',
                html: 'Preview is ready: <a href="https://portal.azure.com/#create/contoso.contoso-vm-preview">open the preview</a>.',
              },
            ],
          },
        },
        { previewLinks: PREVIEW },
      ),
    ),
  ];
}

/** From the sign-off, after a go-live: the live step runs, then the offer is live. */
function toLive(): Frame[] {
  return [
    body(
      statusBody(
        'running',
        {
          ...completeBefore('live'),
          'publisher-signoff': done('Go-live requested.'),
          live: { status: 'inProgress', progress: 30 },
        },
        { previewLinks: PREVIEW },
      ),
    ),
    body(
      statusBody(
        'succeeded',
        {
          ...completeBefore('live'),
          'publisher-signoff': done('Go-live requested.'),
          live: done('Offer is live.'),
        },
        { previewLinks: PREVIEW, liveLinks: LIVE },
      ),
    ),
  ];
}

/** Certification with 3,000 distinct error messages of about 1 kB each. */
function floodBody(status: 'running' | 'failed'): Record<string, unknown> {
  const filler = 'The VHD failed a check that certification runs on every image. '.repeat(15);
  return atCertification(status, {
    status: status === 'failed' ? 'failed' : 'inProgress',
    messages: Array.from({ length: 3000 }, (_, i) => ({
      level: 'error',
      html: `Check ${i + 1} of 3000 failed. ${filler}`,
    })),
  });
}

/** The same body, with every message stamped `timestamp` (a service that re-stamps them). */
function withTimestamp(b: Record<string, unknown>, timestamp: string): Record<string, unknown> {
  const steps = (b.steps as SeedStep[]).map((step) => ({
    ...step,
    messages: (step.messages as Record<string, unknown>[]).map((m) => ({ ...m, timestamp })),
  }));
  return { ...b, steps };
}

/** The certification error of a failed publish. */
const MALWARE_SCAN = {
  level: 'error',
  html: 'The VHD for plan <code>contoso-vm-gen2</code> failed the malware scan.',
};

/** Validation, then certification fails on the second read. */
function toFailedCertification(): Frame[] {
  return [
    toReview()[0]!,
    body(
      atCertification('failed', {
        status: 'failed',
        progress: 20,
        messages: [MALWARE_SCAN],
      }),
    ),
  ];
}

/** What an operation a write started goes through: a publish (to the sign-off, or failing), a go-live. */
export const afterWrites = {
  publish: toReview,
  publishFails: toFailedCertification,
  goLive: toLive,
};

/** A status body with a hostile tail on every string the service sends; `keep` stays readable. */
function hostileBody(
  b: Record<string, unknown>,
  keep: { status?: boolean; stepStatus?: string } = {},
): Record<string, unknown> {
  const steps = (b.steps as SeedStep[]).map((step) => ({
    ...step,
    id: hostile(step.id),
    stepName: hostile(step.stepName),
    description: hostile(String(step.description)),
    estimatedTimeFrame: hostile(String(step.estimatedTimeFrame ?? '< 1 day')),
    status: step.id === keep.stepStatus ? step.status : hostile(step.status),
    messages: [
      ...(step.messages as Record<string, string>[]).map((m) => ({
        ...m,
        messageHtml: hostile(m.messageHtml ?? ''),
        timestamp: hostile(m.timestamp ?? ''),
      })),
      {
        messageHtml: hostile('<b>Note</b> from the service'),
        level: hostile('information'),
        timestamp: hostile('2026-11-02T09:00:00Z'),
      },
    ],
  }));
  return {
    ...b,
    status: keep.status ? b.status : hostile(String(b.status)),
    messages: [hostile('Offer message')],
    steps,
    previewLinks: [hostile('https://portal.azure.com/#create/contoso.contoso-vm-preview')],
    liveLinks: [],
  };
}

export const scenarios: Record<string, Scenario> = {
  'publish-to-live': {
    description: 'A publish that goes step by step to the publisher sign-off, then on to live.',
    advance: 'per-read',
    frames: [...toReview(), ...toLive()],
  },
  'publish-to-signoff': {
    description: 'A publish that goes step by step to the publisher sign-off and waits there.',
    advance: 'per-read',
    frames: toReview(),
  },
  'certification-failed': {
    description: 'Certification finds a problem and the offer fails.',
    advance: 'per-read',
    frames: [
      body(atCertification('running', { status: 'inProgress', progress: 20 })),
      body(
        atCertification('failed', {
          status: 'failed',
          progress: 20,
          messages: [
            MALWARE_SCAN,
            {
              level: 'error',
              html: 'Certification report: <a href="https://example.invalid/report">see the report</a>.',
            },
          ],
        }),
      ),
    ],
  },
  'blocked-step': {
    description: "The seed's operation: certification blocked while the offer still says running.",
    advance: 'per-read',
    frames: [
      body(statusBody('running', { displaydummycertify: { status: 'inProgress', progress: 50 } })),
      body({ ...fixtures.operation() }),
    ],
  },
  'rejected-step': {
    description: 'Certification rejects the offer; the offer itself still says running.',
    advance: 'per-read',
    frames: [
      body(
        atCertification('running', {
          status: 'rejected',
          messages: [{ level: 'error', html: 'Offer listing violates policy 100.1.' }],
        }),
      ),
    ],
  },
  canceled: {
    description: 'The publish was canceled in the portal.',
    advance: 'per-read',
    frames: [body(atCertification('canceled', { status: 'canceled' }))],
  },
  'never-published': {
    description: 'The offer has never been published.',
    advance: 'per-read',
    frames: [body(statusBody('neverPublished', {}))],
  },
  succeeded: {
    description: "The seed's offer status: succeeded.",
    advance: 'per-read',
    frames: [body(fixtures.offerStatus())],
  },
  'stuck-in-certification': {
    description: 'Certification goes on and on (for timeouts).',
    advance: 'per-read',
    frames: [body(atCertification('running', { status: 'inProgress', progress: 30 }))],
  },
  'unknown-statuses': {
    description: 'Statuses no vocabulary knows, then an end state.',
    advance: 'per-read',
    frames: [
      body(statusBody('Queued', { displaydummycertify: { status: 'Throttled' } })),
      body(statusBody('Queued', { displaydummycertify: { status: 'Throttled', progress: 5 } })),
      body(statusBody('succeeded', { displaydummycertify: done() })),
    ],
  },
  'signoff-by-name': {
    description: 'The sign-off step has another id but the usual name, and PascalCase statuses.',
    advance: 'per-read',
    frames: [
      body({
        ...statusBody('Running', { ...completeBefore('publisher-signoff') }),
        steps: (statusBody('Running', completeBefore('publisher-signoff')).steps as SeedStep[]).map(
          (s) =>
            s.id === 'publisher-signoff'
              ? { ...s, id: 'signoff-2', status: 'WaitingForPublisherReview' }
              : s,
        ),
      }),
    ],
  },
  'message-flood': {
    description: 'A step answers with 3,000 error messages of about 1 kB each, then fails.',
    advance: 'per-read',
    frames: [body(floodBody('running')), body(floodBody('failed'))],
  },
  'restamped-warning': {
    description: 'A warning the service re-stamps on every read, then the sign-off.',
    advance: 'per-read',
    frames: [1, 2, 3]
      .map((minute) =>
        body(
          withTimestamp(
            atCertification('running', {
              status: 'inProgress',
              messages: [{ level: 'warning', html: 'Certification queue is long; expect delays.' }],
            }),
            `2026-11-02T09:0${minute}:00Z`,
          ),
        ),
      )
      .concat(toReview().slice(-1)),
  },
  'previous-preview-at-signoff': {
    description:
      'A previous publish is at its publisher sign-off; nothing runs (a publish now supersedes it).',
    advance: 'per-read',
    frames: toReview().slice(-1),
  },
  'publish-running': {
    description: "Someone else's publish is in certification, and stays there.",
    advance: 'per-read',
    frames: [body(atCertification('running', { status: 'inProgress', progress: 45 }))],
  },
  'hostile-text': {
    description:
      'Every string the service sends ends in a line break and a runner command; the publish fails.',
    advance: 'per-read',
    operationId: hostile('5a63deb5-925b-4ee0-938b-7c86fbf287c5'),
    submission: { changedTime: hostile('2026-11-02T08:00:00Z'), slot: hostile('staging') },
    frames: [
      body(
        hostileBody(
          statusBody('running', {
            displaydummycertify: {
              status: 'inProgress',
              messages: [{ level: 'warning', html: 'Validation is slow today.' }],
            },
          }),
        ),
      ),
      body(
        hostileBody(
          atCertification('failed', {
            status: 'failed',
            messages: [
              { level: 'error', html: 'The VHD failed the <b>malware</b> scan.' },
              { level: 'error', html: 'See <a href="https://example.invalid/r">the report</a>.' },
            ],
          }),
          { status: true, stepStatus: 'displaycertify' },
        ),
      ),
    ],
  },
  'hostile-messages': {
    description:
      'Messages with scripts, event handlers, javascript: links and table-breaking characters.',
    advance: 'per-read',
    frames: [
      body(
        statusBody('failed', {
          displaydummycertify: {
            status: 'failed',
            messages: [
              {
                level: 'error',
                html: '<script>alert(1)</script><img src=x onerror="alert(2)">Bad | pipe <a href="javascript:alert(3)">click</a> <a href="https://example.invalid/ok" onclick="x()">ok</a>',
              },
            ],
          },
        }),
      ),
    ],
  },
};
