/**
 * The `preview-id` input: the preview a go-live may send, pinned to the one a person reviewed.
 * On product-ingestion it is the preview submission's id (`submission/<productGuid>/<number>`,
 * slashes included); on the Cloud Partner Portal, the publish operation's id. It is compared with
 * what the service reads and sent in a request body, never put in a URL path.
 */
import { InputError, printable } from './errors.js';

/** The longest id taken: both APIs' ids are far shorter; past this it is a paste gone wrong. */
const MAX_PREVIEW_ID_CHARS = 200;

/** What `preview-id` is checked against: the other inputs that say what the step does. */
export interface PreviewIdContext {
  goLive: boolean;
  publish: boolean;
  offers: number;
}

/** The pinned preview's id, or '' when none is pinned. `raw` is the input, trimmed. */
export function readPreviewId(raw: string, step: PreviewIdContext): string {
  if (raw === '') return '';
  if (!step.goLive) {
    throw new InputError(
      'preview-id',
      'pins the preview a go-live sends, but go-live is not true. Set go-live: true, or leave ' +
        'preview-id empty.',
    );
  }
  if (step.publish) {
    throw new InputError(
      'preview-id',
      'is set together with publish: true. A publish starts a new preview, and preview-id pins ' +
        'the one a person reviewed: go live with it in a step without publish: true, or leave ' +
        'preview-id empty.',
    );
  }
  if (step.offers > 1) {
    throw new InputError(
      'preview-id',
      `pins one offer's preview, but offer-id names ${step.offers}. Give one offer-id, or leave ` +
        'preview-id empty.',
    );
  }
  // eslint-disable-next-line no-control-regex
  if (raw.length > MAX_PREVIEW_ID_CHARS || /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(raw)) {
    throw new InputError(
      'preview-id',
      `'${printable(raw)}' (${raw.length} characters) is not a preview id: one line of at most ` +
        `${MAX_PREVIEW_ID_CHARS} characters, no control characters. Use the preview submission's ` +
        'id (submission/<product-guid>/<number>) on product-ingestion, or the publish ' +
        "operation's id on the Cloud Partner Portal.",
    );
  }
  return raw;
}
