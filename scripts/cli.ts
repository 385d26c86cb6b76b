/**
 * What the demo and the simulator scripts share on their command line: parsing with a usage error
 * (exit 2, no stack trace), `-h`/`--help`, `--api` with its aliases, and `--list` of that API's
 * scenarios. Each script keeps its own flags and usage text.
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { ingestionScenarios } from '../simulator/ingestion-scenarios.js';
import { scenarios } from '../simulator/scenarios.js';

const SHARED = {
  api: { type: 'string', default: 'cloud-partner-portal' },
  list: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsOptionsConfig;

export interface CommandLine<V> {
  values: V;
  /** `--api` names product-ingestion. */
  ingestion: boolean;
  /** The API's scenarios by name. */
  known: Record<string, { description: string }>;
  /** Bad usage: the message and the usage on stderr, exit code 2. */
  usageError(message: string): never;
  /** `unknown scenario 'x' for the … API (--list shows them)`, after `where` when given. */
  checkScenario(name: string, where?: string): void;
}

/** Parses `process.argv` with the script's own `options`; `--help` and `--list` print and exit. */
export function readCommandLine<const T extends ParseArgsOptionsConfig>(usage: string, options: T) {
  const usageError = (message: string): never => {
    process.stderr.write(`${message}\n\n${usage}`);
    process.exit(2);
  };
  type Values = ReturnType<typeof parseArgs<{ options: typeof SHARED & T }>>['values'];
  let values: Values;
  try {
    values = parseArgs({ options: { ...SHARED, ...options } }).values as Values;
  } catch (e) {
    return usageError((e as Error).message);
  }
  // The shared flags, whatever the script adds (TypeScript cannot see them through the generic).
  const shared = values as unknown as { api: string; list: boolean; help: boolean };
  if (shared.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const ingestion = isIngestion(shared.api, usageError);
  const known = ingestion ? ingestionScenarios : scenarios;
  if (shared.list) {
    printScenarios(known);
    process.exit(0);
  }
  const api = ingestion ? 'product-ingestion' : 'cloud-partner-portal';
  const checkScenario = (name: string, where?: string) => {
    if (Object.hasOwn(known, name)) return;
    const what = `unknown scenario '${name}' for the ${api} API (--list shows them).`;
    usageError(where ? `${where}: ${what}` : `${what[0]!.toUpperCase()}${what.slice(1)}`);
  };
  const line: CommandLine<Values> = { values, ingestion, known, usageError, checkScenario };
  return line;
}

/** Whether `--api` names product-ingestion; anything but the two APIs is a usage error. */
function isIngestion(value: string, fail: (message: string) => never): boolean {
  const api = value.trim().toLowerCase();
  if (api === 'product-ingestion' || api === 'ingestion') return true;
  if (api === 'cloud-partner-portal' || api === 'cpp') return false;
  return fail(`--api takes cloud-partner-portal or product-ingestion, not '${value}'.`);
}

/** `--list`: the scenarios, one per line, names aligned. */
function printScenarios(known: Record<string, { description: string }>): void {
  const width = Math.max(...Object.keys(known).map((name) => name.length)) + 2;
  for (const [name, s] of Object.entries(known))
    console.log(`${name.padEnd(width)}${s.description}`);
}
