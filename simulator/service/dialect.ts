/**
 * An API's own words for what every simulated service answers alike: the checks a request passes
 * before it is routed (method, API version, token, in that order), a resource that is not there,
 * and the write faults. The APIs differ only in their error codes and the name of the version.
 */
import type { ServerResponse } from 'node:http';
import type { FaultWords } from './faults.js';
import { error, type Exchange } from './http.js';

export interface Dialect extends FaultWords {
  /** The `api` input that talks to it. */
  api: 'cloud-partner-portal' | 'product-ingestion';
  methodNotAllowed: string;
  unauthorized: string;
  notFound: string;
  /** The query parameter that names the API version, and the refusal of any other version. */
  version: { param: string; code: string; refusal: (asked: string) => string };
}

/** What a request must carry: the API version the service speaks and the token it accepts. */
export interface Access {
  version: string;
  token: string;
}

/** Whether a request passes the checks every API makes first; when not, it has been answered. */
export function admitted(x: Exchange, dialect: Dialect, access: Access): boolean {
  const { req, res, url } = x;
  if (req.method !== 'GET' && req.method !== 'POST') {
    error(res, 405, dialect.methodNotAllowed, 'GET or POST.');
    return false;
  }
  const asked = url.searchParams.get(dialect.version.param);
  if (asked !== access.version) {
    error(res, 400, dialect.version.code, dialect.version.refusal(asked ?? ''));
    return false;
  }
  if (req.headers.authorization !== `Bearer ${access.token}`) {
    error(res, 401, dialect.unauthorized, 'The access token is missing or invalid.');
    return false;
  }
  return true;
}

/** A 404 in the API's words: `what` (e.g. `Offer 'x'`) was not found. */
export function notFound(res: ServerResponse, dialect: Dialect, what: string): void {
  error(res, 404, dialect.notFound, `${what} was not found.`);
}
