/**
 * Text a compromised or buggy service could send: a value followed by a line break and a runner
 * command. An action that prints service strings unescaped lets the service add annotations, mask
 * strings or fail the step; the `hostile-text` scenarios of both APIs carry these in every string.
 */
const HOSTILE_TAILS = [
  '\n::error title=x::pwned',
  '\r\n::add-mask::Bearer',
  '\n##[error]pwned',
  '\n::warning::pwned',
];

/**
 * A function that appends the next hostile tail to a value (they take turns, so every kind shows
 * up). Each scenarios module makes its own, so its text does not depend on what was loaded first.
 */
export function hostileSequence(): (value: string) => string {
  let next = 0;
  return (value) => `${value}${HOSTILE_TAILS[next++ % HOSTILE_TAILS.length]}`;
}
