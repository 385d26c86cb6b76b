import { afterEach, describe, expect, test } from '@jest/globals';
import { AuthError } from '../../src/auth/errors.js';
import {
  fetchGitHubIdToken,
  GITHUB_AUDIENCE,
  idTokenRequest,
  missingIdTokenMessage,
  tokenSubject,
} from '../../src/auth/oidc.js';
import {
  GITHUB_SUBJECT,
  githubJwt,
  startFakeGitHubOidc,
  type FakeGitHubOidc,
} from './helpers/fake-github-oidc.js';

let github: FakeGitHubOidc | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

describe('idTokenRequest', () => {
  test('needs both runner variables', () => {
    expect(idTokenRequest({})).toBeUndefined();
    expect(idTokenRequest({ ACTIONS_ID_TOKEN_REQUEST_URL: 'https://x/?a=1' })).toBeUndefined();
    expect(idTokenRequest({ ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' })).toBeUndefined();
    expect(
      idTokenRequest({
        ACTIONS_ID_TOKEN_REQUEST_URL: 'https://x/?a=1',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't',
      }),
    ).toEqual({ url: 'https://x/?a=1', token: 't' });
  });

  test('without them the message says what to add to the workflow, and mentions forks', () => {
    const message = missingIdTokenMessage('auth-type oidc');
    expect(message).toMatch(/^oidc sign-in \(auth-type oidc\) needs a GitHub OIDC token/);
    expect(message).toContain('`permissions: { id-token: write, contents: read }`');
    expect(message).toContain('Pull requests from forks never get an ID token');
  });
});

describe('fetchGitHubIdToken', () => {
  test('asks for the Entra audience with the runner token', async () => {
    github = await startFakeGitHubOidc();
    const jwt = await fetchGitHubIdToken({ url: github.requestUrl, token: github.requestToken });
    expect(jwt).toBe(github.issued[0]);
    expect(github.requests).toEqual([
      { audience: GITHUB_AUDIENCE, authorization: `Bearer ${github.requestToken}` },
    ]);
  });

  test('a refusal names the HTTP status and the permission', async () => {
    github = await startFakeGitHubOidc({ status: 403 });
    const error = await fetchGitHubIdToken({
      url: github.requestUrl,
      token: github.requestToken,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toMatch(
      /^GitHub did not issue an OIDC token: HTTP 403 from http:\/\/127\.0\.0\.1:\d+ .*`permissions: id-token: write`\.$/,
    );
  });

  test('an unreachable endpoint is an AuthError too', async () => {
    github = await startFakeGitHubOidc();
    const url = github.requestUrl;
    await github.close(); // nothing listens there any more
    github = undefined;
    const error = await fetchGitHubIdToken({ url, token: 't' }).catch((e: unknown) => e);
    expect(error).toEqual(
      new AuthError(
        `Could not ask GitHub for an OIDC token at ${new URL(url).origin} (ECONNREFUSED).`,
      ),
    );
  });
});

test('tokenSubject reads the sub claim, and nothing when the token is not a JWT', () => {
  expect(tokenSubject(githubJwt(1, GITHUB_AUDIENCE))).toBe(GITHUB_SUBJECT);
  expect(tokenSubject('opaque')).toBeUndefined();
  expect(tokenSubject('a.!!!.c')).toBeUndefined();
});
