/**
 * @github/local-action's output, read line by line for `npm run local-action`: the action's log
 * and outputs are kept, the tool's banner, configuration and metadata tables (every input's whole
 * description) are dropped, and whether the action failed is read from the log, since the tool's
 * stand-in for `core.setFailed` records the failure without setting an exit code.
 */

/** What a section of the tool's output is, by the title the tool prints above it. */
type Section = 'tool' | 'action' | 'outputs';

function sectionOf(title: string): Section {
  if (/^Running (?:Pre Step|Action|Post Step)$/.test(title)) return 'action';
  if (title === 'Action Outputs') return 'outputs';
  return 'tool'; // Configuration, Action Metadata, Yarn's (un)plugging
}

// The tool's titles: a title line between two rules of 80 `=` (its `printTitle`).
const RULE = /^={80}$/;
// eslint-disable-next-line no-control-regex
const plain = (line: string) => line.replace(/\u001b\[[0-9;]*m/g, '');

export class LocalActionOutput {
  private section: Section = 'tool';
  private started = false;
  /** The tool's lines before the action ran: shown only if it never does (its error is there). */
  private readonly before: string[] = [];
  /** A title's lines, held until the closing rule says it is one. */
  private title: string[] = [];
  /** Inside the tool's dump of its own failure (`Error: Command failed: …` up to `}`). */
  private dump = false;
  private lastActionLine = '';
  /** Blank lines held until a line follows in the same section (none at a section's ends). */
  private blanks = 0;
  private sectionShown = false;
  private anyShown = false;

  /** One line of the tool's output; returns the lines to show now. */
  line(raw: string): string[] {
    const text = plain(raw);
    if (this.title.length === 0 && RULE.test(text)) {
      this.title = [raw];
      return [];
    }
    if (this.title.length === 1) {
      this.title.push(raw);
      return [];
    }
    if (this.title.length === 2) {
      const held = this.title;
      this.title = [];
      if (RULE.test(text)) {
        this.section = sectionOf(plain(held[1]!).trim());
        // One blank line between the log and the outputs table.
        this.blanks = this.anyShown ? 1 : 0;
        this.sectionShown = false;
        this.started ||= this.section === 'action';
        return [];
      }
      // Not a title after all: the held lines are ordinary lines.
      return [...held, raw].flatMap((l) => this.ordinary(l));
    }
    return this.ordinary(raw);
  }

  /** At the end: what is left to show. */
  end(): string[] {
    const held = this.title.flatMap((l) => this.ordinary(l));
    this.title = [];
    // The action never ran: the tool's own lines say why.
    return this.started ? held : [...this.before, ...held];
  }

  /**
   * The action failed: its last line is the failure `core.setFailed` prints (`::error::…`, no
   * annotation properties), which the action writes last, after its outputs and summary.
   */
  get failed(): boolean {
    return /^::error::/.test(this.lastActionLine);
  }

  private ordinary(raw: string): string[] {
    const text = plain(raw);
    if (this.dump || /^Error: Command failed: /.test(text)) {
      // The tool's launcher prints the error of the process it ran; the exit code says as much.
      this.dump = text !== '}';
      return [];
    }
    switch (this.section) {
      case 'tool':
        if (!this.started) this.before.push(raw);
        return [];
      case 'action':
        if (text.trim()) this.lastActionLine = text;
        return this.shown(raw);
      case 'outputs':
        // Said when the outputs went to the log as `::set-output` lines instead of the table.
        return text === 'No outputs were set!' ? [] : this.shown(raw);
    }
  }

  private shown(raw: string): string[] {
    if (!plain(raw).trim()) {
      if (this.sectionShown) this.blanks++;
      return [];
    }
    const lines = [...Array<string>(this.blanks).fill(''), raw];
    this.blanks = 0;
    this.sectionShown = true;
    this.anyShown = true;
    return lines;
  }
}
