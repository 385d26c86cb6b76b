/**
 * The go-live at the sign-off, by the plan: sent only for the preview the plan names (this step's
 * own, or the one it followed because it carries the change), and with `preview-id` only for that
 * preview. Whenever none is sent, the wait ends at the sign-off with one warning that says why and
 * what to run: it never polls on to the timeout.
 */
import type { End } from '../core/end.js';

export interface GoLiveRule {
  /** The plan's word: `send` at the sign-off, or `none`. */
  plan: 'send' | 'none';
  /**
   * Whose preview may go live: this step's own publish (`own`), the preview the plan followed (its
   * id), or, where the API does not say which preview is the latest (CPP), the one at the sign-off.
   */
  preview: 'own' | 'any' | string;
  /** `preview-id`: only this preview; empty: not pinned. */
  pinned: string;
  /** Why the plan sends none, in words (when `plan` is `none`). */
  why: string;
  /** What to run to release it, in words. */
  next: string;
}

export type AtSignoff = { send: true } | { send: false; end: End; warning?: string };

/**
 * What to do at a read that shows the sign-off. `shown` is the preview it shows (its subject, or
 * the operation followed where the read does not say); `own` whether it is this step's publish.
 */
export function atSignoff(rule: GoLiveRule, shown: string, own: boolean): AtSignoff {
  if (rule.pinned && shown !== rule.pinned) {
    return {
      send: false,
      end: {
        kind: 'error',
        message:
          `The preview waiting for the sign-off is ${shown || 'one the service did not name'}, ` +
          `not ${rule.pinned} (preview-id), the one reviewed: no go-live was sent. Review the ` +
          'preview now waiting and pass its id (the preview-id output of the job that reached the ' +
          'sign-off), or go live in Partner Center.',
      },
    };
  }
  if (rule.plan === 'none') {
    return {
      send: false,
      end: { kind: 'review' },
      warning: `The go-live was not sent: ${rule.why}. ${rule.next}`,
    };
  }
  const planned = rule.preview === 'own' ? own : rule.preview === 'any' || shown === rule.preview;
  if (planned) return { send: true };
  const expected = rule.preview === 'own' ? "this step's publish" : rule.preview;
  return {
    send: false,
    end: { kind: 'review' },
    warning:
      `The go-live was not sent: the preview at the sign-off (${shown || 'unnamed'}) is not ` +
      `${expected}, the one this step followed. ${rule.next}`,
  };
}
