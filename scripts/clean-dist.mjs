// ncc writes its chunks into dist/ without removing the ones an earlier build made: start from an
// empty dist/ so that it always equals a fresh build (CI compares the two).
import { rmSync } from 'node:fs';
import { URL } from 'node:url';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
