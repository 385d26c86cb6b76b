/**
 * The action's flow: read the inputs, sign in, follow each offer (side by side when there are
 * several: `follow-all.ts`), and at the end — whatever the end — set outputs, write the job
 * summary, and fail the step when it should (`finish.ts`). With `follow-all.ts` and
 * `side-calls.ts`, the only modules that know all the others; each does its own part.
 */
import type { Dispatcher } from 'undici';
import { API_PROFILES } from './adapters/index.js';
import { AuthError } from './auth/index.js';
import type { OfferOutcome } from './core/outcome.js';
import { endedBeforeReading } from './core/stop-rules.js';
import { bounded } from './github/bounded.js';
import { Redactor } from './github/redact.js';
import { actionsRunner, redacting, type Runner } from './github/runner.js';
import { finish } from './finish.js';
import { followAll } from './follow-all.js';
import { sasUris } from './core/configure/vm-image.js';
import {
  InputError,
  SECRET_INPUTS,
  parseOfferIds,
  readSettings,
  type Settings,
} from './inputs/index.js';
import { readResourceFiles, resourcesByOffer } from './inputs/resource-files.js';

export interface MainDeps {
  runner: Runner;
  now?: () => number;
  /** Sleeps `ms`, or less if `signal` aborts first. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  dispatcher?: Dispatcher;
  /** The process environment (auth reads the runner's OIDC and identity variables). */
  env?: Record<string, string | undefined>;
  /** Aborts when the workflow is cancelled: the wait stops, the summary is still written. */
  cancel?: AbortSignal;
  /** A signal that aborts `ms` from now, on the `now` clock (default `AbortSignal.timeout`). */
  timeout?: (ms: number) => AbortSignal;
}

/** Without deps (as @github/local-action calls it): the Actions runner, real time, the real network. */
export async function run(deps: MainDeps = { runner: actionsRunner }): Promise<void> {
  const redactor = new Redactor();
  // Every line, output and summary passes the redactor: secrets the runner masks in the log are
  // also kept out of outputs and the summary, and so are tokens echoed in a service's error body.
  // Then the bounds: annotations capped, no line longer than 16 KiB.
  const runner = bounded(redacting(deps.runner, redactor));
  const now = deps.now ?? Date.now;
  // Mask secrets before anything else can log them: the secret inputs, and every SAS URI in
  // `vm-image`, even when it does not parse. (Those in the resource files are masked as each file
  // is read, below.)
  for (const name of SECRET_INPUTS) {
    const value = runner.getInput(name).trim();
    if (value) runner.setSecret(value);
  }
  for (const uri of sasUris(runner.getInput('vm-image'))) maskSasUri(runner, uri);

  const stepStart = now();
  let settings: Settings | undefined;
  let outcomes: OfferOutcome[];
  let stepError: string | undefined;
  try {
    const env = deps.env ?? process.env;
    // The runner's environment says which limits apply (a GitHub-hosted job stops at 6 h).
    settings = readSettings((name) => runner.getInput(name), env);
    runner.info(`API: ${settings.api} (${settings.apiReason}).`);
    // The resource files are input too: read and checked before any request, each SAS URI in
    // them masked before anything about them is logged.
    const files = settings.change?.resourcePatterns.length
      ? await readResourceFiles(
          settings.change.resourcePatterns,
          env.GITHUB_WORKSPACE || process.cwd(),
          (uri) => maskSasUri(runner, uri),
        )
      : { resources: [], notices: [] };
    for (const notice of files.notices) runner.info(notice);
    // Each resource goes to the offer it names; one naming another offer is an input error.
    const byOffer = resourcesByOffer(files.resources, settings.offerIds);
    outcomes = await followAll(settings, byOffer, { ...deps, runner, redactor }, now, stepStart);
  } catch (error) {
    // Input and sign-in errors are expected; anything else is a bug, still reported the same
    // way, with a summary.
    const message =
      error instanceof InputError || error instanceof AuthError
        ? error.message
        : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    stepError = message;
    outcomes = offersOf(runner, settings).map((offerId) =>
      endedBeforeReading(offerId, { kind: 'error', message }, settings?.failOnTimeout ?? true),
    );
  }
  await finish(runner, {
    api: settings ? API_PROFILES[settings.api].title : runner.getInput('api').trim(),
    publisherId: settings?.publisherId ?? runner.getInput('publisher-id').trim(),
    outcomes,
    waitedMs: now() - stepStart,
    now: now(),
    stepError,
    dryRun: settings?.dryRun ?? false,
  });
  runner.reportHidden();
}

/** A SAS URI masked whole, and its query alone: the signature is a secret wherever it shows. */
function maskSasUri(runner: Runner, uri: string): void {
  runner.setSecret(uri);
  const query = uri.slice(uri.indexOf('?') + 1);
  if (query) runner.setSecret(query);
}

/** The offers as given, for the summary of a step whose inputs could not all be read. */
function offersOf(runner: Runner, settings: Settings | undefined): string[] {
  if (settings) return settings.offerIds;
  try {
    return parseOfferIds(runner.getInput('offer-id'));
  } catch {
    return [runner.getInput('offer-id').trim()];
  }
}
