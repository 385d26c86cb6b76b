/**
 * How a wait on an offer can end, and the settings that end it: plain types, no logic. Apart so
 * that the stop rules, an offer's outcome and its deployment state can all name them without
 * importing each other.
 */

export const WAIT_UNTIL = ['review', 'completion', 'none'] as const;
export type WaitUntil = (typeof WAIT_UNTIL)[number];

/** Statuses that end the wait and fail the step, in both vocabularies. */
export interface FailOn {
  /** The entries as the user wrote them, for messages. */
  entries: string[];
  offer: ReadonlySet<string>;
  step: ReadonlySet<string>;
}

export type End =
  /** A status listed in `fail-on` appeared on the offer or on a step. */
  | { kind: 'fail-on'; status: string; stepId?: string; stepName?: string }
  /** The offer reached a state no waiting can change. */
  | { kind: 'end-state'; status: string }
  /** The publisher sign-off waits for a person, and `wait-until` is `review`. */
  | { kind: 'review' }
  /** `wait-until: none` reads once. */
  | { kind: 'single-read' }
  | { kind: 'timeout'; timeoutMs: number }
  /** The workflow was cancelled while the action waited. */
  | { kind: 'cancelled' }
  /** The service or the settings made waiting impossible (an HTTP error, a bad body). */
  | { kind: 'error'; message: string }
  /**
   * A change without `publish`: the draft holds it (`sent`: this step sent it; else it was there
   * already) and nothing was published. `preview` and `live` say what those hold, in words.
   */
  | { kind: 'draft-changed'; sent: boolean; preview: string; live: string }
  /** `export`: the offer's resources written to files under `folder`; nothing sent. */
  | { kind: 'exported'; target: string; folder: string; files: number; written: number };
