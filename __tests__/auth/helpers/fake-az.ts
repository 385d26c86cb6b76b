/**
 * A stand-in `az` on PATH: records its arguments and answers `az account get-access-token` the way
 * the Azure CLI does (JSON on stdout), or as a CLI without a session (error on stderr, exit 1).
 * Only shell built-ins are used, so it runs with any PATH.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FakeAz {
  /** Put this first on PATH. */
  binDir: string;
  token: string;
  /** The arguments of each call, in order. */
  calls(): string[][];
}

export function writeFakeAz(
  dir: string,
  mode: 'signed-in' | 'signed-out',
  token = 'az-access-token-7e3',
): FakeAz {
  const binDir = join(dir, 'fake-az-bin');
  mkdirSync(binDir, { recursive: true });
  const argsFile = join(dir, 'az-calls.txt');
  const expiresOn = Math.floor(Date.now() / 1000) + 3600;
  const answer = JSON.stringify({
    accessToken: token,
    expiresOn: new Date(expiresOn * 1000).toISOString().replace('T', ' ').replace('Z', '.000000'),
    expires_on: expiresOn,
    subscription: '00000000-0000-0000-0000-0000000000aa',
    tenant: '11111111-2222-3333-4444-555555555555',
    tokenType: 'Bearer',
  });
  const respond =
    mode === 'signed-in'
      ? `printf '%s\\n' '${answer}'`
      : `printf '%s\\n' "ERROR: Please run 'az login' to setup account." >&2\nexit 1`;
  writeFileSync(
    join(binDir, 'az'),
    ['#!/bin/sh', `printf '%s\\n' "$@" '--' >> '${argsFile}'`, respond, ''].join('\n'),
  );
  chmodSync(join(binDir, 'az'), 0o755);
  return {
    binDir,
    token,
    calls: () => {
      if (!existsSync(argsFile)) return [];
      const calls: string[][] = [[]];
      for (const line of readFileSync(argsFile, 'utf8').split('\n').slice(0, -1)) {
        if (line === '--') calls.push([]);
        else calls.at(-1)!.push(line);
      }
      return calls.slice(0, -1);
    },
  };
}
