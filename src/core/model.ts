/**
 * What one read of a publish says, in the action's own terms: a `Snapshot` of the offer's status,
 * its steps, messages and links. Each API adapter builds snapshots from its own answers; everything
 * after that (stop rules, log lines, summary, outputs) reads only snapshots.
 */
import { escapeHtml, htmlToText, oneLine } from './html.js';
import type { Normalized } from './status.js';

export interface Message {
  /** `information`, `warning`, `error`, or the service's own word. */
  level: string;
  /** Plain text on one line (no line breaks or control characters), safe for logs and annotations. */
  text: string;
  /** The service's HTML as sent; sanitize before rendering. */
  html: string;
  /** One line, as `text`. */
  timestamp: string;
}

export interface Step {
  id: string;
  name: string;
  /** Canonical step status when known, otherwise the service's text. */
  status: string;
  statusKnown: boolean;
  /** 0–100, or null when the service sent none. */
  progress: number | null;
  estimatedTimeFrame: string;
  messages: Message[];
  /**
   * A fact about the step the service states, not a message from it (ingestion: which submission
   * or configure job it is, and when it was created). One line; absent when there is none.
   */
  detail?: string;
}

export interface Snapshot {
  /** The offer's (or operation's) own status, in the offer vocabulary. */
  reported: Normalized<string>;
  /**
   * The status the action acts on: `reported`, except that a publisher sign-off step waiting for
   * review means the offer waits for review even while the offer itself still says `running`.
   */
  status: string;
  steps: Step[];
  messages: Message[];
  previewLinks: string[];
  liveLinks: string[];
  /**
   * The offer's page for people, when the adapter knows it (ingestion: the Partner Center overview
   * of the product, where the preview is reviewed and the certification report read). Not a
   * preview link: the `preview-links` output never holds it.
   */
  offerUrl?: string;
  /**
   * Which publish this read shows: the operation (CPP) or the submission or configure job
   * (product-ingestion) it is the state of; empty or absent when the answer does not say (CPP's
   * offer status). The write rules compare it with what this step started. One line, as every
   * text from a service in a snapshot.
   */
  subject?: string;
  /** What the adapter had to read around (an entry it skipped): warned once each. */
  notices?: string[];
}

/** The longest message text kept; the service's messages are sentences, not megabytes. */
const MESSAGE_LIMIT_CHARS = 4000;

/**
 * A message from the service's HTML (or plain text, which is HTML without tags). An oversized one
 * is clipped here, once, so that the log, annotations, outputs and summary all stay bounded
 * whatever the service sends.
 */
export function toMessage(level: string, html: string, timestamp = ''): Message {
  const word = oneLine(level).toLowerCase();
  const m: Message = {
    level: word || 'information',
    // One line: the HTML's paragraphs and breaks become blanks, so no message can start a line
    // of the log (the runner would run `::error::…` or `::add-mask::…` there).
    text: oneLine(htmlToText(html)),
    html,
    timestamp: oneLine(timestamp),
  };
  if (m.html.length <= MESSAGE_LIMIT_CHARS * 2 && m.text.length <= MESSAGE_LIMIT_CHARS) return m;
  const text = `${m.text.slice(0, MESSAGE_LIMIT_CHARS)}… (truncated from ${m.text.length} characters)`;
  return { ...m, text, html: escapeHtml(text) };
}

/** An http(s) address in escaped text, without the punctuation that ends its sentence. */
const TEXT_LINK = /\bhttps?:\/\/(?:[^\s<>"&]|&amp;)+?(?=[.,;:!?)]*(?:\s|$|&(?!amp;)))/g;

/**
 * A message from plain text (a service's error entry, not HTML). An http(s) address in it becomes
 * a link (the text stays the same: a link whose text is its address reads as the address).
 */
export function textMessage(level: string, text: string, timestamp = ''): Message {
  const html = escapeHtml(text).replace(TEXT_LINK, (url) => `<a href="${url}">${url}</a>`);
  return toMessage(level, html, timestamp);
}

/** The statuses in a snapshot that no vocabulary knows, with where they were seen. */
export function unknownStatuses(snapshot: Snapshot): { where: string; value: string }[] {
  const found: { where: string; value: string }[] = [];
  if (!snapshot.reported.known) found.push({ where: 'offer', value: snapshot.reported.value });
  for (const step of snapshot.steps) {
    if (!step.statusKnown) found.push({ where: `step ${step.id}`, value: step.status });
  }
  return found;
}

/** The first step that is not complete: where the publish stands now. */
export function currentStep(snapshot: Snapshot): Step | undefined {
  return snapshot.steps.find((s) => s.status !== 'complete');
}
