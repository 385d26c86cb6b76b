/**
 * Service text is data: it can never command the Actions runner. Every string a service sends is
 * flattened to one line when the snapshot is built; the runner facade defuses any line that would
 * still read as a command; annotation titles pass the redactor. The last part runs the whole flow
 * (`run`) on both APIs against answers whose every text field carries runner commands, with the
 * real `actionsRunner` writing through @actions/core, and reads its stdout the way the runner does.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { EOL, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockAgent } from 'undici';
import * as v from 'valibot';
import { StatusBodySchema, toSnapshot } from '../../src/adapters/cpp/snapshot.js';
import { readOfferStatus, readStepStatus, toLinks } from '../../src/adapters/cpp/vocabulary.js';
import { JobSchema, SubmissionsSchema } from '../../src/adapters/ingestion/schemas.js';
import { jobToSnapshot } from '../../src/adapters/ingestion/job.js';
import { submissionsToSnapshot } from '../../src/adapters/ingestion/snapshot.js';
import { htmlToText, lineOf, oneLine, tidy } from '../../src/core/html.js';
import { textMessage, toMessage } from '../../src/core/model.js';
import { Redactor, hideSas } from '../../src/github/redact.js';
import { actionsRunner, inert, redacting, type Runner } from '../../src/github/runner.js';
import { run } from '../../src/main.js';

// ---------------------------------------------------------------------------------------------
// The runner's reading of a line, after actions/runner (src/Runner.Common/ActionCommand.cs and
// src/Runner.Worker/ActionCommandManager.cs, Handlers/OutputManager.cs): stdout is read line by
// line (.NET ReadLine: LF, CR or CRLF); `TryParseV2` trims leading white space and wants
// `::name props::data`; the legacy `TryParse` finds `##[name props]data` anywhere in the line.
// Command names are compared case-insensitively. The white space here is .NET's and JavaScript's
// together, so the model finds at least every command the runner would.
// ---------------------------------------------------------------------------------------------
const RUNNER_COMMANDS = new Set([
  'set-env',
  'set-output',
  'save-state',
  'add-mask',
  'add-path',
  'add-matcher',
  'remove-matcher',
  'debug',
  'warning',
  'error',
  'notice',
  'group',
  'endgroup',
  'echo',
  'stop-commands',
  'internal-set-repo-path',
]);
const LEADING_BLANKS = /^[\s\u0085\u180e]*/;

interface Command {
  form: 'v2' | 'legacy';
  name: string;
  properties: Record<string, string>;
  data: string;
}

function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}
function unescapeProperty(s: string): string {
  return unescapeData(s.replace(/%3A/g, ':').replace(/%2C/g, ','));
}

/** The command(s) the runner would find in one line of output. */
function commandsIn(line: string): Command[] {
  const found: Command[] = [];
  const trimmed = line.replace(LEADING_BLANKS, '');
  if (trimmed.startsWith('::')) {
    const end = trimmed.indexOf('::', 2);
    if (end >= 0) {
      const info = trimmed.slice(2, end);
      const space = info.indexOf(' ');
      const name = space < 0 ? info : info.slice(0, space);
      if (RUNNER_COMMANDS.has(name.toLowerCase())) {
        const properties: Record<string, string> = {};
        if (space > 0) {
          for (const pair of info
            .slice(space + 1)
            .trim()
            .split(',')
            .filter(Boolean)) {
            const at = pair.indexOf('=');
            if (at > 0) properties[pair.slice(0, at)] = unescapeProperty(pair.slice(at + 1));
          }
        }
        found.push({ form: 'v2', name, properties, data: unescapeData(trimmed.slice(end + 2)) });
        return found;
      }
    }
  }
  // Every `##[`, not only the first the runner looks at: stricter than the runner.
  for (let at = line.indexOf('##['); at >= 0; at = line.indexOf('##[', at + 1)) {
    const close = line.indexOf(']', at);
    if (close < 0) break;
    const info = line.slice(at + 3, close);
    const name = info.split(' ')[0]!;
    if (RUNNER_COMMANDS.has(name.toLowerCase())) {
      found.push({ form: 'legacy', name, properties: {}, data: line.slice(close + 1) });
    }
  }
  return found;
}

const runnerLines = (text: string) => text.split(/\r\n|\r|\n/);

// What a hostile service puts in every text field.
const TOKEN = 'tok-hostile-0123456789abcdef';
const PAYLOADS = [
  '\n::error title=x::pwned',
  '\r\n::add-mask::secret',
  '\n##[error]pwned',
  '\n::warning::pwned',
  '\u2028::error::u2028',
  '\r::error::cr',
  '\n\t ::ERROR::indented',
  '\u0085::error::nel',
];
const EVIL = PAYLOADS.join('');
/** A value with every payload after it (and, with `lead`, one before it too). */
const h = (text: string, lead = false) => `${lead ? '\n::error::lead ' : ''}${text}${EVIL}`;

/** Every string in a value, with its path; `html` fields keep their structure on purpose. */
function strings(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((x, i) => strings(x, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .filter(([k]) => k !== 'html')
      .flatMap(([k, x]) => strings(x, `${path}.${k}`));
  }
  return [];
}
// eslint-disable-next-line no-control-regex
const NOT_ONE_LINE = /[\r\n\u2028\u2029\u0000-\u001f\u007f-\u009f]/;
const multiLine = (value: unknown) => strings(value).filter(([, s]) => NOT_ONE_LINE.test(s));

describe('flattening: every service string is one line', () => {
  test.each([
    ['a\nb', 'a b'],
    ['a\r\nb', 'a b'],
    ['a\rb', 'a b'],
    ['a\u2028b\u2029c', 'a b c'],
    ['a\u0085b', 'a b'],
    ['a\u0000\u0007\u001b[31mb', 'a [31mb'],
    ['a\u007f\u009bb', 'a b'],
    ['  lead\n\n\t trail \r\n', 'lead trail'],
    ['\n::error title=x::pwned', '::error title=x::pwned'],
    ['Step\n::add-mask::secret', 'Step ::add-mask::secret'],
    ['plain text', 'plain text'],
  ])('oneLine(%j) is %j', (raw, line) => {
    expect(oneLine(raw)).toBe(line);
  });

  test.each([[undefined], [null], [7], [{}], [['a']]])('lineOf(%j): no text', (raw) => {
    expect(lineOf(raw)).toBe('');
  });

  test('tidy keeps line breaks (U+2028 counts as one) and blanks control characters', () => {
    expect(tidy('a\u2028b\r\nc\u0007d')).toBe('a\nb\nc d');
    expect(htmlToText('<p>one</p><p>two\n::error::x</p>')).toBe('one\ntwo\n::error::x');
  });

  test("a message's text is one line; its HTML keeps its structure for the summary", () => {
    const m = toMessage(h('error'), `<p>First</p><br>Second${EVIL}`, h('2026-11-21T08:00:00Z'));
    expect(multiLine(m)).toEqual([]);
    expect(m.text).toBe(
      'First Second ::error title=x::pwned ::add-mask::secret ##[error]pwned ::warning::pwned ' +
        '::error::u2028 ::error::cr ::ERROR::indented ::error::nel',
    );
    expect(m.html).toContain('\n::error title=x::pwned');
    expect(m.level.startsWith('error ::error title=x::pwned')).toBe(true);
    expect(textMessage('error', h('Plain')).text).toBe(oneLine(h('Plain')));
  });

  test('unknown status words are kept as one line; known ones still read', () => {
    expect(readOfferStatus(h('Queued'))).toEqual({
      value: oneLine(h('Queued')),
      known: false,
    });
    expect(readStepStatus(h('Blocked'))).toMatchObject({ known: false });
    expect(readOfferStatus('\n running \r\n')).toEqual({ value: 'running', known: true });
    expect(readStepStatus('\n\r')).toEqual({ value: 'unknown', known: false });
  });

  test('a link with a line break or a control character is no link', () => {
    expect(
      toLinks([
        h('https://preview.example/x'),
        { uri: 'https://preview.example/y\n::error::pwned' },
        'https://a.example/\u001b[31m',
        ' https://ok.example/x ',
        'https://ok.example/##[error]kept-as-one-line',
      ]),
    ).toEqual(['https://ok.example/x', 'https://ok.example/##[error]kept-as-one-line']);
  });
});

/** A CPP status body whose every text field is hostile. */
function cppBody(): Record<string, unknown> {
  return {
    status: h('running'),
    messages: [
      { messageHtml: h('<p>Offer message</p>', true), level: h('error'), timestamp: h('t0') },
      h('An offer message as a plain string'),
    ],
    steps: [
      {
        id: h('displaycertify', true),
        stepName: h('Certification'),
        status: h('inProgress'),
        estimatedTimeFrame: h('1 day'),
        progressPercentage: 10,
        messages: [
          { messageHtml: h('Queued'), level: 'information', timestamp: h('t1') },
          { messageHtml: h('<b>Look</b>'), level: 'warning', timestamp: h('t2') },
          { messageHtml: h(`Bearer ${TOKEN} failed`), level: 'error', timestamp: h('t3') },
          h('A step message as a plain string'),
        ],
      },
      {
        id: 'publisher-signoff',
        stepName: h(`Sign-off ${TOKEN}`),
        status: 'notStarted',
        messages: [{ messageHtml: h('Waiting'), level: 'error', timestamp: h('t4') }],
      },
    ],
    previewLinks: [h('https://preview.example/x'), { uri: h('https://preview.example/y') }],
    liveLinks: [h('https://live.example/x')],
  };
}

const GUID = '8c1e5b3a-2f4d-4e6a-9b7c-0d1e2f3a4b5c';
/** product-ingestion submission entries whose every text field is hostile. */
function ingestionEntries(): object[] {
  return [
    { id: `submission/${GUID}/0`, product: `product/${GUID}`, target: { targetType: 'draft' } },
    {
      id: h(`submission/${GUID}/1`, true),
      target: { targetType: 'live' },
      status: 'completed',
      result: h('succeeded'),
      created: h('2022-01-25T07:13:06Z'),
    },
    {
      id: h(`submission/${GUID}/2`),
      target: { targetType: 'preview' },
      status: h('running'),
      result: h('pending'),
      created: h('2022-02-04T20:07:22Z'),
    },
    { id: h('odd'), target: { targetType: h('preview') }, status: h('x'), result: h('y') },
  ];
}

/** A configure job whose every text field is hostile, errors nested. */
function hostileJob(): Record<string, unknown> {
  return {
    jobId: h('job-1'),
    jobStatus: h('running'),
    jobResult: h('pending'),
    jobStart: h('2026-11-21T08:00:00Z'),
    errors: [
      {
        code: h('invalidState'),
        message: h(`Certification failed ${TOKEN}`),
        resourceId: h('plan/x'),
        details: [
          {
            code: h('schemaValidationError'),
            message: h('Nested'),
            resourceId: h('plan/y'),
            details: [{ code: h('deeper'), message: h('Deeper') }],
          },
        ],
      },
    ],
  };
}

describe('snapshots of hostile answers carry no line break or control character', () => {
  test('CPP: status, step ids and names, statuses, messages, levels, timestamps, links', () => {
    const s = toSnapshot(v.parse(StatusBodySchema, cppBody()));
    expect(multiLine(s)).toEqual([]);
    expect(s.steps[0]!.name).toBe(oneLine(h('Certification')));
    expect(s.previewLinks).toEqual([]);
  });

  test('product-ingestion: submission statuses, results, ids, created; the subject', () => {
    const entries = v.parse(SubmissionsSchema, { value: ingestionEntries() }).value;
    const s = submissionsToSnapshot(entries);
    expect(multiLine(s)).toEqual([]);
    expect(s.subject).toBe(oneLine(h(`submission/${GUID}/2`)));
  });

  test('product-ingestion: a configure job, nested errors included', () => {
    const s = jobToSnapshot(v.parse(JobSchema, hostileJob()));
    expect(multiLine(s)).toEqual([]);
    expect(s.steps[0]!.messages).toHaveLength(3);
  });
});

describe('the last guard: no line the action prints is a runner command', () => {
  test.each([
    ['::error::x', '\\::error::x'],
    ['::add-mask::secret', '\\::add-mask::secret'],
    ['  ::warning title=t::x', '  \\::warning title=t::x'],
    ['\t::debug::x', '\t\\::debug::x'],
    ['\u00a0\u3000::error::x', '\u00a0\u3000\\::error::x'],
    ['\u0085::error::x', '\u0085\\::error::x'],
    ['::stop-commands::tok', '\\::stop-commands::tok'],
    ['::', '\\::'],
    ['##[error]x', '##[\\error]x'],
    ['text then ##[error]x', 'text then ##[\\error]x'],
    ['##[group]a ##[endgroup]', '##[\\group]a ##[\\endgroup]'],
    ['one\n::error::x', 'one\n\\::error::x'],
    ['one\r::error::x', 'one\n\\::error::x'],
    ['one\r\n  ::error::x', 'one\n  \\::error::x'],
    // Ordinary lines are left as they are.
    ['[+5m] read 2', '[+5m] read 2'],
    [
      '  ⏳ Certification (displaycertify): inProgress [10%]',
      '  ⏳ Certification (displaycertify): inProgress [10%]',
    ],
    ['a ::error::x in the middle', 'a ::error::x in the middle'],
    ['https://x.example/a::b', 'https://x.example/a::b'],
    [': not a command', ': not a command'],
  ])('inert(%j) is %j', (text, safe) => {
    expect(inert(text)).toBe(safe);
    expect(runnerLines(inert(text)).flatMap(commandsIn)).toEqual([]);
  });

  test('applying it again changes nothing', () => {
    const once = inert(`x${EVIL}`);
    expect(inert(once)).toBe(once);
  });

  test('every payload, alone or all at once, reads as text', () => {
    for (const text of [...PAYLOADS, EVIL, h('a', true)]) {
      expect(runnerLines(inert(text)).flatMap(commandsIn)).toEqual([]);
    }
  });
});

describe('@actions/core escapes what its commands carry', () => {
  let writes: string[];
  const write = process.stdout.write;
  beforeEach(() => {
    writes = [];
    process.stdout.write = ((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
  });
  afterEach(() => {
    process.stdout.write = write;
  });

  test.each([
    ['warning', () => actionsRunner.warning(EVIL, `title${EVIL},file=x:y`)],
    ['error', () => actionsRunner.error(`%0A${EVIL}`, EVIL)],
    ['debug', () => actionsRunner.debug(EVIL)],
  ] as const)('%s: one line, one command, the text intact as data', (name, emit) => {
    emit();
    expect(writes).toHaveLength(1);
    const line = writes[0]!.slice(0, -EOL.length);
    expect(line).not.toMatch(/[\r\n]/);
    const commands = commandsIn(line);
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatchObject({ form: 'v2', name });
    expect(Object.keys(commands[0]!.properties).every((k) => k === 'title')).toBe(true);
  });

  test('setFailed is one escaped error command', () => {
    const exitCode = process.exitCode;
    try {
      actionsRunner.setFailed(EVIL);
    } finally {
      process.exitCode = exitCode;
    }
    expect(writes).toHaveLength(1);
    expect(writes[0]!.slice(0, -EOL.length)).not.toMatch(/[\r\n]/);
    // Escaped by @actions/core, and defused by the facade as well: still one error command.
    expect(commandsIn(writes[0]!.slice(0, -EOL.length))).toMatchObject([
      { name: 'error', data: inert(EVIL) },
    ]);
  });
});

describe('annotation titles pass the redactor', () => {
  test.each(['warning', 'error'] as const)('%s: message and title', (kind) => {
    const seen: [string, string | undefined][] = [];
    const inner = {
      ...actionsRunner,
      [kind]: (message: string, title?: string) => seen.push([message, title]),
    } as Runner;
    const redactor = new Redactor();
    const runner = redacting(inner, redactor);
    redactor.add('s3cr3t-value');
    runner[kind]('says s3cr3t-value', 'Marketplace: s3cr3t-value and Bearer abcdefgh12345');
    runner[kind]('no title');
    expect(seen).toEqual([
      ['says ***', 'Marketplace: *** and Bearer ***'],
      ['no title', undefined],
    ]);
  });
});

// A SAS URI as a service may echo it: the blob it names may show, its signature never.
const SIG = 'Sa5S1gnatur3%2Bx%3D';
const SAS = `https://acct.blob.core.windows.net/vhds/a.vhd?sv=2024-01-01&sr=b&sp=r&sig=${SIG}`;

describe('SAS URIs: shown as their blob, never with their signature', () => {
  test.each([
    [`The VHD ${SAS} failed`, 'The VHD acct/vhds/a.vhd failed'],
    [`(${SAS}).`, '(acct/vhds/a.vhd).'],
    [`"${SAS}"`, '"acct/vhds/a.vhd"'],
    [`uri=${SAS}, next`, 'uri=acct/vhds/a.vhd, next'],
    // As the summary's HTML escapes it.
    [`&quot;${SAS.replace(/&/g, '&amp;')}&quot; failed`, '&quot;acct/vhds/a.vhd&quot; failed'],
    [`<a href="${SAS}">x</a>`, '<a href="acct/vhds/a.vhd">x</a>'],
    // Other clouds, a folder in the container, any query on a blob URL.
    [`https://Acct2.blob.core.usgovcloudapi.net/c/dir/b.vhd?sig=${SIG}`, 'acct2/c/dir/b.vhd'],
    ['https://acct.blob.core.windows.net/vhds/a.vhd?se=2030-01-01', 'acct/vhds/a.vhd'],
    // Not a blob: the query goes when it signs.
    [`https://files.contoso.com/a.vhd?sv=1&sig=${SIG} x`, 'https://files.contoso.com/a.vhd?… x'],
    [
      `https://acct.blob.core.windows.net/?comp=list&sig=${SIG}`,
      'https://acct.blob.core.windows.net/?…',
    ],
    [`http://x.example/p?a=1&amp;sig=${SIG}`, 'http://x.example/p?…'],
    // Two in one run of text, the second after the first's query.
    [`https://x.example/r?to=${SAS}`, 'https://x.example/r?…'],
  ])('%j is %j', (text, shown) => {
    expect(hideSas(text)).toBe(shown);
    expect(new Redactor().redact(text)).toBe(shown);
  });

  test.each([
    'https://partner.microsoft.com/dashboard/commercial-marketplace/offers/x/overview',
    'https://github.com/contoso/azure-marketplace-release/blob/main/docs/tracking.md#the-multi-day-pattern',
    'https://azuremarketplace.microsoft.com/marketplace/apps/contoso.vm?tab=Overview&flightCodes=abc',
    'https://login.microsoftonline.com/t/oauth2/v2.0/token?x=1',
    // A plan shows a SAS URI with its query hidden already; a blob URL without a query is no SAS.
    'https://acct.blob.core.windows.net/vhds/a.vhd?…',
    'https://acct.blob.core.windows.net/vhds/a.vhd',
    'a ? b https://x.example/?',
  ])('%s stays as it is', (text) => {
    expect(hideSas(text)).toBe(text);
  });

  test('a registered SAS URI shows as its blob, its query alone as ***', () => {
    const redactor = new Redactor();
    redactor.add(SAS);
    redactor.add(SAS.slice(SAS.indexOf('?') + 1));
    expect(redactor.redact(`The VHD ${SAS} failed; query ${SAS.split('?')[1]}`)).toBe(
      'The VHD acct/vhds/a.vhd failed; query ***',
    );
  });

  test('a long hostile line is read in linear time', () => {
    const text = `${'https://'.repeat(200_000)}${'.'.repeat(200_000)}?${'.'.repeat(200_000)}`;
    const start = performance.now();
    hideSas(text);
    hideSas('&quot;'.repeat(300_000));
    expect(performance.now() - start).toBeLessThan(2_000);
  });
});

// ---------------------------------------------------------------------------------------------
// The whole flow against hostile answers, printed by the real facade through @actions/core.
// ---------------------------------------------------------------------------------------------

type Answer = [status: number, body: unknown];

interface Scenario {
  name: string;
  origin: string;
  inputs: Record<string, string>;
  answer: (path: string) => Answer;
  /** The runner's environment; none by default. */
  env?: Record<string, string>;
}

const CPP = 'https://cloudpartner.azure.com';
const GRAPH = 'https://graph.microsoft.com';
const cppInputs = { 'publisher-id': 'contoso', 'offer-id': 'contoso-vm' };
const ingestionInputs = { api: 'product-ingestion', 'offer-id': 'contoso-vm' };
const product = { id: `product/${GUID}`, identity: { externalId: 'contoso-vm' }, alias: h('VM') };
const errorBody = (code: string) => ({
  error: {
    code: h(code),
    message: h(`Refused ${TOKEN}`),
    details: [
      {
        code: h('invalidResource'),
        target: h('plan/x'),
        message: h('No image'),
        details: [{ code: h('inner'), message: h('Inner') }],
      },
    ],
  },
});

const SCENARIOS: Scenario[] = [
  {
    name: 'CPP: the offer status, and the running operations listed before it',
    origin: CPP,
    inputs: cppInputs,
    answer: (path) =>
      path.includes('/submissions')
        ? [200, [{ id: h('op-1'), submissionState: h('running'), submissionType: h('publish') }]]
        : [200, cppBody()],
  },
  {
    name: 'CPP: an operation followed by operation-id',
    origin: CPP,
    inputs: { ...cppInputs, 'operation-id': 'op-1' },
    answer: () => [200, cppBody()],
  },
  {
    name: 'CPP: a 400 whose error code, message and details are hostile',
    origin: CPP,
    inputs: cppInputs,
    answer: (path) => (path.includes('/status') ? [400, errorBody('badRequest')] : [200, []]),
  },
  {
    name: "CPP: a 404, explained with the publisher's offers",
    origin: CPP,
    inputs: cppInputs,
    answer: (path) =>
      path.includes('/status')
        ? [404, errorBody('NotFound')]
        : [
            200,
            [
              { id: h('contoso-vm2'), definition: { displayText: h('Contoso') } },
              { id: h('other', true), status: h('x') },
            ],
          ],
  },
  {
    name: 'product-ingestion: the product, then its submissions',
    origin: GRAPH,
    inputs: ingestionInputs,
    answer: (path) =>
      path.includes('/product?')
        ? [200, { value: [product] }]
        : [200, { value: ingestionEntries() }],
  },
  {
    name: 'product-ingestion: a configure job followed by operation-id',
    origin: GRAPH,
    inputs: { ...ingestionInputs, 'operation-id': 'job-1' },
    answer: () => [200, hostileJob()],
  },
  {
    name: 'product-ingestion: a configure job that failed',
    origin: GRAPH,
    inputs: { ...ingestionInputs, 'operation-id': 'job-1' },
    answer: () => [200, { ...hostileJob(), jobStatus: 'completed', jobResult: 'failed' }],
  },
  {
    name: 'product-ingestion: a 400 on the product lookup',
    origin: GRAPH,
    inputs: ingestionInputs,
    answer: () => [400, errorBody('badRequest')],
  },
];

/** One stdout write, and the facade method that made it. */
interface Write {
  via: string;
  text: string;
}

describe('the whole flow against hostile answers, on both APIs', () => {
  let dir: string;
  let agent: MockAgent;
  const saved: Record<string, string | undefined> = {};
  const ENV = ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_REPOSITORY', 'RUNNER_DEBUG'];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hostile-'));
    for (const name of ENV) saved[name] = process.env[name];
    process.env.GITHUB_OUTPUT = join(dir, 'output.txt');
    process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary.md');
    delete process.env.GITHUB_REPOSITORY;
    delete process.env.RUNNER_DEBUG;
  });
  afterAll(() => {
    for (const name of ENV) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    writeFileSync(process.env.GITHUB_OUTPUT!, '');
    writeFileSync(process.env.GITHUB_STEP_SUMMARY!, '');
    agent = new MockAgent();
    agent.disableNetConnect();
  });
  afterEach(() => agent.close());

  /** Runs the action with the real facade (inputs aside); every stdout write, tagged. */
  async function runCaptured(scenario: Scenario): Promise<Write[]> {
    agent
      .get(scenario.origin)
      .intercept({ path: () => true, method: 'GET' })
      .reply((opts) => {
        const [status, body] = scenario.answer(String(opts.path));
        return { statusCode: status, data: JSON.stringify(body) };
      })
      .persist();
    const inputs: Record<string, string> = {
      'access-token': TOKEN,
      'wait-until': 'completion',
      timeout: '20m',
      'poll-interval': '5m',
      ...scenario.inputs,
    };
    const writes: Write[] = [];
    let via = 'outside the facade';
    const tagged = Object.fromEntries(
      Object.entries(actionsRunner).map(([name, method]) => [
        name,
        (...args: unknown[]) => {
          const outer = via;
          via = name;
          try {
            return (method as (...a: unknown[]) => unknown)(...args);
          } finally {
            via = outer;
          }
        },
      ]),
    ) as unknown as Runner;
    const runner: Runner = { ...tagged, getInput: (name) => inputs[name] ?? '' };
    let t = Date.parse('2026-11-21T08:00:00Z');
    const write = process.stdout.write;
    const exitCode = process.exitCode;
    process.stdout.write = ((chunk: string | Uint8Array) => {
      writes.push({ via, text: String(chunk) });
      return true;
    }) as typeof process.stdout.write;
    try {
      await run({
        runner,
        dispatcher: agent,
        env: scenario.env ?? {},
        now: () => t,
        sleep: async (ms) => void (t += ms),
      });
    } finally {
      process.stdout.write = write;
      process.exitCode = exitCode;
    }
    return writes;
  }

  const COMMAND_OF: Record<string, string> = {
    warning: 'warning',
    error: 'error',
    setFailed: 'error',
    debug: 'debug',
    setSecret: 'add-mask',
  };

  test.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const writes = await runCaptured(scenario);
    const problems: string[] = [];
    const log: string[] = [];
    for (const { via, text } of writes) {
      const body = text.endsWith(EOL) ? text.slice(0, -EOL.length) : text;
      const lines = runnerLines(body);
      log.push(...lines);
      const own = COMMAND_OF[via];
      if (own) {
        // The action's own command: one line, the command it meant, data escaped.
        const commands = commandsIn(body);
        if (lines.length !== 1) problems.push(`${via} wrote ${lines.length} lines: ${body}`);
        if (commands.length !== 1 || commands[0]!.name !== own || commands[0]!.form !== 'v2') {
          problems.push(`${via} is not one ${own} command: ${body}`);
        }
        if (!body.startsWith(`::${own}`)) problems.push(`${via} does not start the line: ${body}`);
        const [command] = commands;
        if (command && Object.keys(command.properties).some((k) => k !== 'title')) {
          problems.push(`${via} has properties beyond title: ${body}`);
        }
        if (command?.name === 'add-mask' && command.data !== TOKEN) {
          problems.push(`add-mask carries something else than the token: ${body}`);
        }
        continue;
      }
      for (const line of lines) {
        const trimmed = line.replace(LEADING_BLANKS, '');
        if (trimmed.startsWith('::')) problems.push(`${via} line starts with '::': ${line}`);
        if (trimmed.startsWith('##[')) problems.push(`${via} line starts with '##[': ${line}`);
        for (const c of commandsIn(line))
          problems.push(`${via} line is a ${c.name} command: ${line}`);
      }
    }
    expect(problems).toEqual([]);
    // The token shows only where the action masks it.
    const leaks = log.filter((l) => l.includes(TOKEN) && !l.startsWith('::add-mask::'));
    expect(leaks).toEqual([]);
    // The hostile text is still there to read, defused.
    expect(log.join('\n')).toMatch(/pwned/);
    // Outputs and the summary were written, and carry no token either.
    for (const file of [process.env.GITHUB_OUTPUT!, process.env.GITHUB_STEP_SUMMARY!]) {
      const text = readFileSync(file, 'utf8');
      expect(text.length).toBeGreaterThan(0);
      expect(text).not.toContain(TOKEN);
    }
  });

  test('the service text is readable in the log, defused where it would command', async () => {
    const writes = await runCaptured(SCENARIOS[0]!);
    const info = writes.filter((w) => w.via === 'info').map((w) => w.text);
    expect(info.join('')).toContain(
      'Certification ::error title=x::pwned ::add-mask::secret ##[\\error]pwned ::warning::pwned',
    );
  });

  /** Everything the step wrote: stdout (each write with its command), outputs, summary. */
  function written(writes: Write[]) {
    return {
      // As the runner reads them: each distinct value masked, `%` unescaped.
      masks: [
        ...new Set(
          writes
            .filter((w) => w.via === 'setSecret')
            .flatMap((w) => commandsIn(w.text.trim()).map((c) => c.data)),
        ),
      ],
      others: writes.filter((w) => w.via !== 'setSecret').map((w) => w.text),
      outputs: readFileSync(process.env.GITHUB_OUTPUT!, 'utf8'),
      summary: readFileSync(process.env.GITHUB_STEP_SUMMARY!, 'utf8'),
    };
  }

  test('a SAS URI echoed in a job error: its blob in the log, annotations, outputs and summary; its signature nowhere', async () => {
    const writes = await runCaptured({
      name: 'a failed job quoting the VHD it could not read',
      origin: GRAPH,
      inputs: { ...ingestionInputs, 'operation-id': 'job-1' },
      answer: () => [
        200,
        {
          jobId: 'job-1',
          jobStatus: 'completed',
          jobResult: 'failed',
          errors: [
            {
              code: 'invalidResource',
              message: `The VHD ${SAS} failed. Mirror https://files.contoso.com/a.vhd?sv=1&sig=${SIG} too`,
              resourceId: 'virtual-machine-plan-technical-configuration/x/y',
            },
          ],
        },
      ],
    });
    const { masks, others, outputs, summary } = written(writes);
    expect(masks).toEqual([TOKEN]);
    for (const text of [...others, outputs, summary]) {
      expect(text).not.toContain(SIG);
      expect(text).not.toContain('sig=');
    }
    const annotations = writes.filter((w) => w.via === 'error').map((w) => w.text);
    const shown = 'The VHD acct/vhds/a.vhd failed. Mirror https://files.contoso.com/a.vhd?… too';
    // An error annotation (a line of the log), and the step's failure.
    expect(annotations.join('')).toContain(shown);
    expect(writes.find((w) => w.via === 'setFailed')?.text).toContain('acct/vhds/a.vhd');
    // The `steps` output carries the job's messages.
    expect(outputs).toContain(shown);
    expect(summary).toContain('The VHD acct/vhds/a.vhd failed.');
  });

  describe('a SAS URI in a resources file', () => {
    let workspace: string;
    beforeAll(() => {
      workspace = mkdtempSync(join(tmpdir(), 'hostile-resources-'));
      // A $schema the input error quotes, and a file that does not parse.
      writeFileSync(join(workspace, 'quoted.json'), JSON.stringify({ $schema: SAS }));
      writeFileSync(join(workspace, 'broken.json'), `{"osDisk": {"uri": "${SAS}"}, oops}`);
    });
    afterAll(() => rmSync(workspace, { recursive: true, force: true }));

    test.each([
      ['quoted.json', "Input 'resources': quoted.json: $schema 'acct/vhds/a.vhd' is not"],
      ['broken.json', "Input 'resources': broken.json is not JSON"],
    ])(
      '%s: masked (whole and its query) before anything about the files, shown as its blob',
      async (resources, failure) => {
        const writes = await runCaptured({
          name: resources,
          origin: GRAPH,
          inputs: { ...ingestionInputs, resources },
          answer: () => [500, {}],
          env: { GITHUB_WORKSPACE: workspace },
        });
        const { masks, others, outputs, summary } = written(writes);
        const query = SAS.slice(SAS.indexOf('?') + 1);
        expect(masks).toEqual([TOKEN, SAS, query]);
        // The masks come before the first word about the files (the API line may precede them).
        const firstAboutFiles = writes.findIndex(
          (w) => w.via !== 'setSecret' && w.text.includes(resources),
        );
        const lastMask = writes.map((w) => w.via).lastIndexOf('setSecret');
        expect(firstAboutFiles).toBeGreaterThan(lastMask);
        for (const text of [...others, outputs, summary]) expect(text).not.toContain(SIG);
        const failed = writes.filter((w) => w.via === 'setFailed').map((w) => w.text);
        expect(failed.join('')).toContain(failure);
        expect(summary).toContain(failure.replace(/'/g, '&#39;'));
      },
    );
  });
});
