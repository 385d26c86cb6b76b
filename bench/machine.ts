/** Where and on what a result was measured, so that runs from different commits can be compared. */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';

export interface Machine {
  node: string;
  cpu: string;
  cores: number;
  date: string;
  commit: string;
  /** Uncommitted changes under src/ or dist/ when the benchmark ran. */
  dirty: boolean;
  /** The last commits that changed dist/ and src/: when they differ, dist/ may be stale. */
  distCommit: string;
  srcCommit: string;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return '';
  }
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1]!.trim();
  } catch {
    // not Linux: fall back to what Node knows
  }
  return cpus()[0]?.model ?? 'unknown';
}

export function machine(): Machine {
  return {
    node: process.version,
    cpu: cpuModel(),
    cores: cpus().length,
    date: new Date().toISOString(),
    commit: git(['rev-parse', '--short', 'HEAD']) || 'unknown',
    dirty: git(['status', '--porcelain', '--', 'src', 'dist']) !== '',
    distCommit: git(['log', '-1', '--format=%h', '--', 'dist']) || 'unknown',
    srcCommit: git(['log', '-1', '--format=%h', '--', 'src']) || 'unknown',
  };
}
