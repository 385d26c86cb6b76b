/**
 * Microsoft Entra ID on loopback, over https with a certificate made for the test: the OpenID
 * metadata MSAL reads under the tenant, and the v2 token endpoint. It records every request, so
 * tests can assert what reached Entra (grant type, client id, assertion, scope).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface LoopbackCertificate {
  key: string;
  cert: string;
  /** For `NODE_EXTRA_CA_CERTS` in the spawned action. */
  certPath: string;
}

/** A self-signed certificate for 127.0.0.1, made with openssl in `dir`. */
export function loopbackCertificate(dir: string): LoopbackCertificate {
  const keyPath = join(dir, 'entra-key.pem');
  const certPath = join(dir, 'entra-cert.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        certPath,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'pipe' },
    );
  } catch (error) {
    throw new Error(
      `The auth end-to-end tests need openssl on PATH to make a test certificate: ${String(error)}`,
      { cause: error },
    );
  }
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), certPath };
}

interface EntraRequest {
  method: string;
  path: string;
  /** The form body of a token request. */
  form: Record<string, string>;
}

interface Refusal {
  status: number;
  error: string;
  code: number;
  description: string;
}

export interface FakeEntraOptions {
  tenant: string;
  certificate: LoopbackCertificate;
  /** Refuse token requests this way… */
  refuse?: Refusal;
  /** …from this one on (1-based; default: all). */
  refuseFrom?: number;
  /** Seconds each token lives. */
  expiresIn?: number;
}

export interface FakeEntra {
  authorityHost: string;
  /** Tokens issued, in order: `entra-access-token-1`, `-2`, … */
  issued: string[];
  requests: EntraRequest[];
  tokenRequests(): Record<string, string>[];
  close(): Promise<void>;
}

export const entraToken = (n: number) => `entra-access-token-${n}`;

export async function startFakeEntra(options: FakeEntraOptions): Promise<FakeEntra> {
  const { tenant } = options;
  const issued: string[] = [];
  const requests: EntraRequest[] = [];
  const server = createServer(
    { key: options.certificate.key, cert: options.certificate.cert },
    (req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'https://127.0.0.1');
        const form = Object.fromEntries(new URLSearchParams(body));
        requests.push({ method: req.method ?? '', path: url.pathname, form });
        const send = (status: number, answer: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify(answer));
        };
        const base = `https://127.0.0.1:${(server.address() as AddressInfo).port}/${tenant}`;
        if (
          req.method === 'GET' &&
          url.pathname === `/${tenant}/v2.0/.well-known/openid-configuration`
        ) {
          return send(200, {
            issuer: `${base}/v2.0`,
            token_endpoint: `${base}/oauth2/v2.0/token`,
            authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
            end_session_endpoint: `${base}/oauth2/v2.0/logout`,
            jwks_uri: `${base}/discovery/v2.0/keys`,
            response_types_supported: ['code', 'id_token', 'token'],
            token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
          });
        }
        if (req.method === 'POST' && url.pathname === `/${tenant}/oauth2/v2.0/token`) {
          const tokenRequest = requests.filter((r) => r.path === url.pathname).length;
          const refusal = tokenRequest >= (options.refuseFrom ?? 1) ? options.refuse : undefined;
          if (refusal) {
            return send(refusal.status, {
              error: refusal.error,
              error_description:
                `AADSTS${refusal.code}: ${refusal.description}\r\n` +
                'Trace ID: 5e1c0a7b-0000-4000-8000-00000000f00d\r\n' +
                'Correlation ID: 9a8b7c6d-0000-4000-8000-00000000beef\r\n' +
                'Timestamp: 2026-11-21 11:00:00Z',
              error_codes: [refusal.code],
              trace_id: '5e1c0a7b-0000-4000-8000-00000000f00d',
              correlation_id: '9a8b7c6d-0000-4000-8000-00000000beef',
            });
          }
          const token = entraToken(issued.length + 1);
          issued.push(token);
          const expiresIn = options.expiresIn ?? 3599;
          return send(200, {
            token_type: 'Bearer',
            expires_in: expiresIn,
            ext_expires_in: expiresIn,
            access_token: token,
          });
        }
        send(404, { error: 'not_found', error_description: `No ${req.method} ${url.pathname}.` });
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    authorityHost: `https://127.0.0.1:${port}`,
    issued,
    requests,
    tokenRequests: () =>
      requests.filter((r) => r.path === `/${tenant}/oauth2/v2.0/token`).map((r) => r.form),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
