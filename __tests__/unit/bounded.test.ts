import { describe, expect, test } from '@jest/globals';
import {
  ANNOTATIONS_SHOWN,
  MAX_LINE_CHARS,
  bounded,
  clipLines,
  prefixed,
} from '../../src/github/bounded.js';
import type { Runner } from '../../src/github/runner.js';
import type { OfferOutcome } from '../../src/core/outcome.js';
import { finish } from '../../src/finish.js';

type Call = [method: string, ...args: unknown[]];

/** A runner that records every call, in order. */
function recorder(): { runner: Runner; calls: Call[]; of: (method: string) => unknown[][] } {
  const calls: Call[] = [];
  const rec =
    (method: string) =>
    (...args: unknown[]) => {
      // Drop a trailing undefined title, so `error('x')` records as ['error', 'x'].
      while (args.length > 1 && args.at(-1) === undefined) args.pop();
      calls.push([method, ...args]);
    };
  const runner: Runner = {
    getInput: (name) => `input:${name}`,
    setSecret: rec('setSecret'),
    setOutput: rec('setOutput'),
    info: rec('info'),
    debug: rec('debug'),
    warning: rec('warning'),
    error: rec('error'),
    setFailed: rec('setFailed'),
    writeSummary: async (html) => {
      rec('writeSummary')(html);
    },
    runUrl: async () => 'https://example.invalid/run',
  };
  const of = (method: string) => calls.filter((c) => c[0] === method).map((c) => c.slice(1));
  return { runner, calls, of };
}

const NOTE = '(GitHub shows 10 of each per step).';

describe('bounded: annotations', () => {
  test('10 of each are shown per step', () => {
    expect(ANNOTATIONS_SHOWN).toBe(10);
    expect(MAX_LINE_CHARS).toBe(16 * 1024);
  });

  test.each([
    ['error', 'Error', 'errors'],
    ['warning', 'Warning', 'warnings'],
  ] as const)('30 %ss: 9 annotations, 21 log lines, one closing line', (kind, word, plural) => {
    const { runner, calls, of } = recorder();
    const b = bounded(runner);
    for (let i = 0; i < 30; i++) b[kind](`problem ${i}`, i % 2 ? 'Certification' : undefined);
    // One of each kind is kept back for the step's own end.
    expect(of(kind)).toEqual(
      Array.from({ length: 9 }, (_, i) =>
        i % 2 ? [`problem ${i}`, 'Certification'] : [`problem ${i}`],
      ),
    );
    expect(of('info')).toEqual(
      Array.from({ length: 21 }, (_, n) => {
        const i = n + 9;
        return [`${word}: ${i % 2 ? 'Certification: ' : ''}problem ${i}`];
      }),
    );
    // In the order they came.
    expect(calls.map((c) => c[0])).toEqual([...Array(9).fill(kind), ...Array(21).fill('info')]);
    b.reportHidden();
    expect(calls).toHaveLength(31);
    expect(calls.at(-1)).toEqual([
      'info',
      `21 more ${plural} than the annotations above are in the log and the job summary ${NOTE}`,
    ]);
  });

  test.each([
    // errors, warnings → the closing line (empty: none)
    [0, 0, ''],
    [9, 9, ''],
    [10, 0, '1 more error than'],
    [0, 10, '1 more warning than'],
    [12, 10, '3 more errors and 1 more warning than'],
    [10, 30, '1 more error and 21 more warnings than'],
    [30, 30, '21 more errors and 21 more warnings than'],
  ])('%i errors and %i warnings → %j', (errors, warnings, line) => {
    const { runner, of } = recorder();
    const b = bounded(runner);
    // Interleaved: each kind has its own cap.
    for (let i = 0; i < Math.max(errors, warnings); i++) {
      if (i < errors) b.error(`e${i}`);
      if (i < warnings) b.warning(`w${i}`);
    }
    expect(of('error')).toHaveLength(Math.min(errors, 9));
    expect(of('warning')).toHaveLength(Math.min(warnings, 9));
    const before = of('info').length;
    expect(before).toBe(Math.max(errors - 9, 0) + Math.max(warnings - 9, 0));
    b.reportHidden();
    const after = of('info');
    if (line === '') {
      expect(after).toHaveLength(before);
    } else {
      expect(after).toHaveLength(before + 1);
      expect(after.at(-1)).toEqual([
        `${line} the annotations above are in the log and the job summary ${NOTE}`,
      ]);
    }
  });

  test('a smaller cap keeps one back too', () => {
    const { runner, of } = recorder();
    const b = bounded(runner, 3);
    for (let i = 0; i < 5; i++) b.error(`e${i}`);
    expect(of('error')).toEqual([['e0'], ['e1']]);
    b.reportHidden();
    expect(of('info').at(-1)).toEqual([
      '3 more errors than the annotations above are in the log and the job summary (GitHub shows 3 of each per step).',
    ]);
  });

  test('setFailed always passes through, however many errors came before', () => {
    const { runner, calls } = recorder();
    const b = bounded(runner);
    for (let i = 0; i < 30; i++) b.error(`e${i}`);
    for (let i = 0; i < 30; i++) b.warning(`w${i}`);
    b.setFailed('The publish failed (fail-on lists failed).');
    b.warning('Timed out after 1h.');
    expect(calls.filter((c) => c[0] === 'setFailed')).toEqual([
      ['setFailed', 'The publish failed (fail-on lists failed).'],
    ]);
    expect(calls.at(-2)).toEqual(['setFailed', 'The publish failed (fail-on lists failed).']);
  });

  test('everything else passes through untouched', async () => {
    const { runner, calls } = recorder();
    const b = bounded(runner);
    expect(b.getInput('offer-id')).toBe('input:offer-id');
    b.setSecret('s3cret');
    b.setOutput('status', 'running');
    await b.writeSummary('<p>x</p>');
    expect(await b.runUrl()).toBe('https://example.invalid/run');
    expect(calls).toEqual([
      ['setSecret', 's3cret'],
      ['setOutput', 'status', 'running'],
      ['writeSummary', '<p>x</p>'],
    ]);
  });

  test('several offers share the cap of the step (as main composes them)', () => {
    const { runner, of } = recorder();
    const b = bounded(runner);
    const vm = prefixed(b, 'contoso-vm');
    const app = prefixed(b, 'contoso-app');
    for (let i = 0; i < 6; i++) {
      vm.error(`bad ${i}`, 'Certification');
      app.error(`bad ${i}`);
    }
    expect(of('error')).toHaveLength(9);
    expect(of('error')[0]).toEqual(['[contoso-vm] bad 0', 'contoso-vm: Certification']);
    expect(of('error')[1]).toEqual(['[contoso-app] bad 0', 'contoso-app']);
    expect(of('info')).toEqual([
      ['Error: contoso-app: [contoso-app] bad 4'],
      ['Error: contoso-vm: Certification: [contoso-vm] bad 5'],
      ['Error: contoso-app: [contoso-app] bad 5'],
    ]);
    b.reportHidden();
    expect(of('info').at(-1)).toEqual([
      `3 more errors than the annotations above are in the log and the job summary ${NOTE}`,
    ]);
  });
});

describe("bounded: the step's own end keeps its annotation", () => {
  const timedOut = (offerId: string): OfferOutcome => ({
    offerId,
    operationId: '',
    end: { kind: 'timeout', timeoutMs: 3_600_000 },
    snapshot: undefined,
    reads: 0,
    started: [],
    failed: false,
  });
  const closing =
    'The wait ran out of time after 1h (timeout) while the publish was still under way. (fail-on-timeout is false)';

  const check = async (before: number) => {
    const { runner, of } = recorder();
    const b = bounded(runner);
    for (let i = 0; i < before; i++) b.warning(`w${i}`);
    await finish(b, {
      api: 'Cloud Partner Portal API',
      publisherId: 'contoso',
      outcomes: [timedOut('contoso-vm')],
      waitedMs: 1,
      now: 0,
    });
    expect(of('warning').at(-1)).toEqual([closing]);
    expect(of('warning')).toHaveLength(Math.min(before, 9) + 1);
  };

  test.each([0, 5, 8])(
    'after %i warnings, the timeout warning of a step that does not fail is an annotation',
    check,
  );

  // The slot kept back goes to the step's own warning, however many came before.
  test.each([9, 30])(
    'after %i warnings, the timeout warning of a step that does not fail is still an annotation',
    check,
  );
});

const clippedTo = (line: string, max = MAX_LINE_CHARS) =>
  `${line.slice(0, max - 60)}… (${line.length - (max - 60)} more characters left out)`;

describe('bounded: line length', () => {
  const long = 'x'.repeat(100 * 1024);
  const clipped = `${'x'.repeat(16 * 1024 - 60)}… (86076 more characters left out)`;

  test('a 100 KiB line is cut to 16 KiB, saying how much was left out', () => {
    expect(clippedTo(long)).toBe(clipped);
    expect(clipLines(long)).toBe(clipped);
    expect(clipped.length).toBeLessThanOrEqual(MAX_LINE_CHARS);
  });

  test.each([
    ['info', (b: Runner) => b.info(long), ['info', clipped]],
    ['debug', (b: Runner) => b.debug(long), ['debug', clipped]],
    ['error', (b: Runner) => b.error(long, 'T'), ['error', clipped, 'T']],
    ['warning', (b: Runner) => b.warning(long), ['warning', clipped]],
    ['setFailed', (b: Runner) => b.setFailed(long), ['setFailed', clipped]],
  ] as [string, (b: Runner) => void, Call][])('%s clips', (_, act, expected) => {
    const { runner, calls } = recorder();
    act(bounded(runner));
    expect(calls).toEqual([expected]);
    for (const c of calls) {
      for (const line of String(c[1]).split('\n')) {
        expect(line.length).toBeLessThanOrEqual(MAX_LINE_CHARS);
      }
    }
  });

  test('an annotation past the cap becomes a clipped log line', () => {
    const { runner, of } = recorder();
    const b = bounded(runner);
    for (let i = 0; i < 9; i++) b.error('e');
    b.error(long, 'Certification');
    expect(of('info')).toEqual([[clippedTo(`Error: Certification: ${long}`)]]);
    expect((of('info')[0]![0] as string).length).toBeLessThanOrEqual(MAX_LINE_CHARS);
  });

  test.each([
    // text, expected
    ['short', 'short'],
    ['x'.repeat(MAX_LINE_CHARS), 'x'.repeat(MAX_LINE_CHARS)],
    [
      'x'.repeat(MAX_LINE_CHARS + 1),
      `${'x'.repeat(MAX_LINE_CHARS - 60)}… (61 more characters left out)`,
    ],
    // Long text of short lines is left alone.
    [Array(4).fill('y'.repeat(10_000)).join('\n'), Array(4).fill('y'.repeat(10_000)).join('\n')],
    // Each line on its own.
    [
      `first\n${'y'.repeat(20_000)}\nmiddle\n${'z'.repeat(50_000)}\nlast`,
      `first\n${clippedTo('y'.repeat(20_000))}\nmiddle\n${clippedTo('z'.repeat(50_000))}\nlast`,
    ],
  ])('clipLines(%#)', (text, expected) => {
    const out = clipLines(text);
    expect(out).toBe(expected);
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(MAX_LINE_CHARS);
  });

  test('multi-line info is clipped line by line', () => {
    const { runner, of } = recorder();
    bounded(runner).info(`a\n${'q'.repeat(40_000)}\nb`);
    expect(of('info')).toEqual([[`a\n${clippedTo('q'.repeat(40_000))}\nb`]]);
  });
});

describe('prefixed', () => {
  test.each([
    ['info', (r: Runner) => r.info('one'), ['info', '[contoso-vm] one']],
    [
      'info, each line',
      (r: Runner) => r.info('one\ntwo\n'),
      ['info', '[contoso-vm] one\n[contoso-vm] two\n[contoso-vm] '],
    ],
    [
      'debug, each line',
      (r: Runner) => r.debug('a\nb'),
      ['debug', '[contoso-vm] a\n[contoso-vm] b'],
    ],
    [
      'warning with a title',
      (r: Runner) => r.warning('w', 'Certification'),
      ['warning', '[contoso-vm] w', 'contoso-vm: Certification'],
    ],
    ['warning without', (r: Runner) => r.warning('w'), ['warning', '[contoso-vm] w', 'contoso-vm']],
    [
      'error with a title',
      (r: Runner) => r.error('e', 'Certification'),
      ['error', '[contoso-vm] e', 'contoso-vm: Certification'],
    ],
    ['error without', (r: Runner) => r.error('e'), ['error', '[contoso-vm] e', 'contoso-vm']],
    ["setFailed is the step's own", (r: Runner) => r.setFailed('x'), ['setFailed', 'x']],
    [
      "setOutput is the step's own",
      (r: Runner) => r.setOutput('status', 'x'),
      ['setOutput', 'status', 'x'],
    ],
  ] as [string, (r: Runner) => void, Call][])('%s', (_, act, expected) => {
    const { runner, calls } = recorder();
    act(prefixed(runner, 'contoso-vm'));
    expect(calls).toEqual([expected]);
  });
});
