/**
 * The runner's ID-token endpoint on loopback: `GET <ACTIONS_ID_TOKEN_REQUEST_URL>&audience=…` with
 * `Authorization: Bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>`, answering `{"value": "<jwt>"}`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGitHubOidc {
  /** For `ACTIONS_ID_TOKEN_REQUEST_URL` (already has a query, as the runner's does). */
  requestUrl: string;
  requestToken: string;
  /** The ID tokens issued, in order. */
  issued: string[];
  requests: { audience: string | null; authorization: string | undefined }[];
  close(): Promise<void>;
}

export const GITHUB_SUBJECT = 'repo:contoso/release:ref:refs/heads/main';

/** An unsigned JWT with GitHub's claims: enough for the fake Entra and for reading `sub`. */
export function githubJwt(n: number, audience: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return [
    part({ alg: 'RS256', typ: 'JWT' }),
    part({
      iss: 'https://token.actions.githubusercontent.com',
      aud: audience,
      sub: GITHUB_SUBJECT,
      jti: `gh-${n}`,
    }),
    `sig${n}gh`,
  ].join('.');
}

export async function startFakeGitHubOidc(
  options: { status?: number; requestToken?: string } = {},
): Promise<FakeGitHubOidc> {
  const requestToken = options.requestToken ?? 'runner-request-token-4b1d';
  const issued: string[] = [];
  const requests: FakeGitHubOidc['requests'] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const audience = url.searchParams.get('audience');
    requests.push({ audience, authorization: req.headers.authorization });
    if (req.headers.authorization !== `Bearer ${requestToken}` || url.pathname !== '/idtoken') {
      res.writeHead(401, { 'content-type': 'application/json' });
      return res.end('{"message":"Unauthorized"}');
    }
    if (options.status && options.status !== 200) {
      res.writeHead(options.status, { 'content-type': 'application/json' });
      return res.end('{"message":"Can\'t issue ID_TOKEN for audience"}');
    }
    const jwt = githubJwt(issued.length + 1, audience ?? '');
    issued.push(jwt);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ count: 1, value: jwt }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    requestUrl: `http://127.0.0.1:${port}/idtoken?api-version=2.0`,
    requestToken,
    issued,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
