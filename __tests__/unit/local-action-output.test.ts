import { describe, expect, it } from '@jest/globals';
import { LocalActionOutput } from '../../scripts/local-action-output.js';

const RULE = '='.repeat(80);
const title = (text: string) => [RULE, `${' '.repeat((80 - text.length) / 2)}${text}`, RULE];

/** @github/local-action's output around the action's own lines, as the tool prints it. */
function transcript(action: string[], outputs: string[] = ['No outputs were set!']): string[] {
  return [
    '     _        _   _               ____       _',
    '    / \\   ___| |_(_) ___  _ __   |  _ \\  ___| |__',
    ...title('Configuration'),
    '',
    '┌─────────┬──────────────┐',
    "│ 0       │ 'Action Path' │",
    '└─────────┴──────────────┘',
    '',
    ...title('Action Metadata'),
    '',
    '│ 0       │ \'api\'                 │ "The API: `auto` …" │',
    '',
    '',
    ...title('Running Action'),
    '',
    ...action,
    '',
    ...title('Action Outputs'),
    '',
    ...outputs,
    '',
  ];
}

function read(lines: string[]): { shown: string[]; failed: boolean } {
  const output = new LocalActionOutput();
  const shown = [...lines.flatMap((l) => output.line(l)), ...output.end()];
  return { shown, failed: output.failed };
}

const log = [
  '::info::API: cloud-partner-portal (api: cloud-partner-portal).',
  '[+0s] read 1',
  '',
  '::set-output name=status::running',
];

describe('LocalActionOutput', () => {
  it("shows the action's log and outputs, not the tool's banner, configuration or metadata", () => {
    const outputs = ['┌───┐', "│ 0 │ 'status' │ 'succeeded' │", '└───┘'];
    const { shown, failed } = read(
      transcript([...log, '::info::Status: succeeded. The offer is live.'], outputs),
    );
    expect(shown).toEqual([
      ...log,
      '::info::Status: succeeded. The offer is live.',
      '',
      ...outputs,
    ]);
    expect(failed).toBe(false);
  });

  it('reads a failure from the last line, which is what core.setFailed printed', () => {
    const { shown, failed } = read(
      transcript([
        ...log,
        "::error::Offer 'contoso-nope' was not found under publisher 'contoso'.",
      ]),
    );
    expect(failed).toBe(true);
    expect(shown.at(-1)).toBe(
      "::error::Offer 'contoso-nope' was not found under publisher 'contoso'.",
    );
    expect(shown).not.toContain('No outputs were set!');
  });

  it('does not take an annotation before the closing line for the failure', () => {
    const { failed } = read(
      transcript([
        '::error title=Marketplace%3A Certification::Plan gen2 has no image.',
        '::error::A step message without a title.',
        'Status: waitingForPublisherReview; the wait stops there (wait-until: review).',
      ]),
    );
    expect(failed).toBe(false);
  });

  it("drops the launcher's dump of the failed command", () => {
    const { shown } = read([
      ...transcript(['::error::It failed.']),
      'Error: Command failed: npm exec tsx "…/local-action/src/index.ts" -- run . src/main.ts .env',
      '    at genericNodeError (node:internal/errors:986:15)',
      '  status: 1,',
      '}',
    ]);
    expect(shown).toEqual(['::error::It failed.']);
  });

  it("shows the tool's own lines when the action never ran (they say why)", () => {
    const lines = [
      ...title('Configuration'),
      "│ 'Entrypoint' │ 'src/main.ts' │",
      'Error: no run()',
    ];
    const { shown, failed } = read(lines);
    expect(shown).toEqual(["│ 'Entrypoint' │ 'src/main.ts' │", 'Error: no run()']);
    expect(failed).toBe(false);
  });

  it('passes a rule the action prints through when no title follows', () => {
    const { shown } = read(transcript([RULE, 'not a title', 'a line']));
    expect(shown).toEqual([RULE, 'not a title', 'a line']);
  });
});
