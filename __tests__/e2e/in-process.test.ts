/**
 * The in-process harness is only as good as its likeness to the runner: the runner facade prints
 * byte for byte what `actionsRunner` prints through @actions/core and reads inputs as it does, and
 * the virtual clock skips only the time in which nothing runs.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { actionsRunner } from '../../src/github/runner.js';
import { facade } from './in-process.js';
import { VirtualClock } from './virtual-clock.js';

/** What `body` writes to the process's stdout. */
async function printed(body: () => unknown): Promise<string> {
  const write = process.stdout.write;
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    await body();
  } finally {
    process.stdout.write = write;
  }
  return out;
}

const HOSTILE = [
  'plain',
  '100% done: a, b\r\nnext line\rand ::error::pwned',
  '  ::warning title=x::also pwned',
  'a ##[error]legacy ##[\\ kept',
  '%0A already escaped, %25 too',
];

describe('the runner facade', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  test.each(HOSTILE)(
    'prints %j as actionsRunner prints it through @actions/core, and leaves the exit code alone',
    async (text) => {
      const said = { stdout: '', exitCode: 0, outputs: {}, summary: '' };
      const fake = facade({}, said);
      const calls = (r: typeof actionsRunner) => {
        r.info(text);
        r.debug(text);
        r.warning(text);
        r.warning(text, `Title: ${text}, more`);
        r.error(text);
        r.error(text, text);
        r.setSecret(text);
        r.setFailed(text);
      };
      const real = await printed(() => calls(actionsRunner));
      process.exitCode = undefined;
      calls(fake);
      expect(said.stdout).toBe(real);
      expect(said.exitCode).toBe(1);
      expect(process.exitCode).toBeUndefined();
      // Nothing it prints starts a command the step did not mean.
      for (const line of said.stdout.split('\n').filter(Boolean)) {
        expect(line).toMatch(/^(::(debug|warning|error|add-mask)( title=[^:]*)?::|(?!\s*::))/);
      }
    },
  );

  test('reads inputs as @actions/core reads them: INPUT_ and the name upper-cased, spaces as _, trimmed', async () => {
    const core = await import('@actions/core');
    const env = {
      'INPUT_PUBLISHER-ID': '  contoso \n',
      INPUT_SOME_NAME: 'x',
      'INPUT_OFFER-ID': 'a,\nb',
    };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const fake = facade(env, { stdout: '', exitCode: 0, outputs: {}, summary: '' });
      for (const name of ['publisher-id', 'some name', 'offer-id', 'missing', 'Publisher-Id']) {
        expect(fake.getInput(name)).toBe(core.getInput(name));
      }
    } finally {
      for (const key of Object.keys(env)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });

  test('the summary as the file holds it, outputs by name, the run link from the env', async () => {
    const said = { stdout: '', exitCode: 0, outputs: {}, summary: '' };
    const fake = facade(
      { GITHUB_REPOSITORY: 'contoso/release', GITHUB_RUN_ID: '42', GITHUB_SERVER_URL: 'https://x' },
      said,
    );
    await fake.writeSummary('<h2>a</h2>');
    fake.setOutput('steps', '[\n1\n]');
    expect(said).toMatchObject({ summary: '<h2>a</h2>\n', outputs: { steps: '[\n1\n]' } });
    expect(await fake.runUrl()).toBe('https://x/contoso/release/actions/runs/42');
    expect(await facade({}, said).runUrl()).toBeUndefined();
  });
});

describe('the virtual clock', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((done) => server?.close(done) ?? done(undefined));
    server = undefined;
  });

  test('an hour of sleeps takes no real time; sleepers side by side wake at their own times', async () => {
    const clock = new VirtualClock();
    const started = performance.now();
    const woke: [string, number][] = [];
    const sleeper = async (name: string, every: number, times: number) => {
      for (let i = 0; i < times; i++) {
        await clock.sleep(every);
        woke.push([name, Math.round(clock.elapsed() / 1000)]);
      }
    };
    await Promise.all([sleeper('a', 60_000, 60), sleeper('b', 600_000, 6)]);
    expect(performance.now() - started).toBeLessThan(5_000);
    // Not one after the other: both end at the hour.
    expect(Math.round(clock.elapsed() / 60_000)).toBe(60);
    expect(woke.filter(([n]) => n === 'b').map(([, s]) => s)).toEqual([
      600, 1200, 1800, 2400, 3000, 3600,
    ]);
  });

  test('while a request is in flight the clock waits for it, as real time does', async () => {
    server = createServer((_, res) => setTimeout(() => res.end('ok'), 300));
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const clock = new VirtualClock();
    const dispatcher = clock.dispatcher();
    let answeredAt = 0;
    const asking = request(url, { dispatcher }).then(async (r) => {
      await r.body.text();
      answeredAt = clock.elapsed();
    });
    // A sleeper due before the answer wakes when its time comes, not before the answer is in.
    await clock.sleep(60_000);
    await asking;
    expect(answeredAt).toBeGreaterThanOrEqual(290);
    expect(answeredAt).toBeLessThan(60_000);
    await dispatcher.destroy();
  });

  test("a deadline (`timeout`) fires on the clock's time, and alone never moves it", async () => {
    const clock = new VirtualClock();
    const deadline = clock.timeout(10_000);
    await clock.sleep(9_000);
    expect(deadline.aborted).toBe(false);
    await clock.sleep(2_000);
    expect(deadline.aborted).toBe(true);
    expect((deadline.reason as DOMException).name).toBe('TimeoutError');
    const alone = clock.timeout(50_000);
    await new Promise((done) => setTimeout(done, 50));
    expect(alone.aborted).toBe(false);
    expect(clock.elapsed()).toBeLessThan(12_000);
    clock.clear();
  });

  test('a sleep ends at once when its signal aborts', async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    clock.at(1_000, () => controller.abort());
    await clock.sleep(3_600_000, controller.signal);
    expect(clock.elapsed()).toBeLessThan(2_000);
  });
});
