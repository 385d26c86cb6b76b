/**
 * What the demo and the simulator scripts share on their command line: `--api` with its aliases,
 * and `--list` of that API's scenarios. Each script keeps its own flags and usage text.
 */
import { ingestionScenarios } from '../simulator/ingestion-scenarios.js';
import { scenarios } from '../simulator/scenarios.js';

/** Whether `--api` names product-ingestion; anything but the two APIs is a usage error. */
export function isIngestion(value: string, fail: (message: string) => never): boolean {
  const api = value.trim().toLowerCase();
  if (api === 'product-ingestion' || api === 'ingestion') return true;
  if (api === 'cloud-partner-portal' || api === 'cpp') return false;
  return fail(`--api takes cloud-partner-portal or product-ingestion, not '${value}'.`);
}

/** The API's scenarios by name. */
export function scenariosOf(ingestion: boolean): Record<string, { description: string }> {
  return ingestion ? ingestionScenarios : scenarios;
}

/** `--list`: the scenarios, one per line, names aligned. */
export function printScenarios(known: Record<string, { description: string }>): void {
  const width = Math.max(...Object.keys(known).map((name) => name.length)) + 2;
  for (const [name, s] of Object.entries(known))
    console.log(`${name.padEnd(width)}${s.description}`);
}
