/**
 * Which ids a user may have meant, when the one they typed is unknown. Pure.
 */
import { distance } from 'fastest-levenshtein';

export interface KnownOffer {
  id: string;
  displayText: string;
}

/**
 * Up to `max` offer ids close to what the user typed: same id in another case, an id or display
 * name within a few edits, or a display name equal to the input (a common mix-up).
 */
export function closestOffers(wanted: string, offers: KnownOffer[], max = 3): string[] {
  const w = wanted.toLowerCase();
  const scored = offers
    .map((o) => {
      const byId = distance(w, o.id.toLowerCase());
      const byName = o.displayText ? distance(w, o.displayText.toLowerCase()) : Infinity;
      return { id: o.id, score: Math.min(byId, byName) };
    })
    .filter((o) => o.score <= Math.max(2, Math.floor(w.length / 3)))
    .sort((a, b) => a.score - b.score || a.id.localeCompare(b.id));
  return scored.slice(0, max).map((o) => o.id);
}

/** `'a', 'b' and 3 more`: ids for a message, bounded. */
export function quotedList(ids: string[], limit = 10): string {
  const shown = ids.slice(0, limit).map((id) => `'${id}'`);
  return ids.length > limit
    ? `${shown.join(', ')} and ${ids.length - limit} more`
    : shown.join(', ');
}
