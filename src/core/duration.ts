/**
 * Durations as users write them in workflow files: `45s`, `30m`, `2h`, `1h30m`, `1d`, or a bare
 * number of seconds. Units may be combined, largest first; fractions are allowed (`1.5h`).
 */
const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;
const PART = /(\d+(?:\.\d+)?)\s*(d|h|m|s)/gy;

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(input: string): number | undefined {
  const text = input.trim().toLowerCase();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  let total = 0;
  let lastUnit = Infinity;
  PART.lastIndex = 0;
  let match: RegExpExecArray | null;
  while (PART.lastIndex < text.length && (match = PART.exec(text)) !== null) {
    const unit = UNIT_MS[match[2] as keyof typeof UNIT_MS];
    if (unit >= lastUnit) return undefined; // `30m1h` or `1h1h` is more likely a typo than intent
    lastUnit = unit;
    total += Number(match[1]) * unit;
    while (text[PART.lastIndex] === ' ') PART.lastIndex++;
  }
  return PART.lastIndex === text.length && lastUnit !== Infinity ? Math.round(total) : undefined;
}

/** A short human form: `1h30m`, `45s`, `2d3h`, `250ms`. */
export function formatDuration(ms: number): string {
  if (ms > 0 && ms < 1000) return `${Math.round(ms)}ms`;
  if (ms <= 0) return '0s';
  let rest = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n}${unit}`);
  }
  return parts.join('') || '0s';
}
