/**
 * How the action proves who it is to the API. Today: a bearer token given as `access-token`.
 */
import type { TokenSource } from '../cpp-client.js';
import type { GetInput } from '../inputs.js';

export class AuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

export interface AuthContext {
  getInput: GetInput;
  /** Where the chosen way and its progress are logged. */
  info(message: string): void;
  /** Masks a secret (a token) in the log before anything can print it. */
  setSecret(secret: string): void;
  env: Record<string, string | undefined>;
  now(): number;
}

/** The token source the inputs ask for, or an `AuthError` that says what to set. */
export async function createTokenSource(ctx: AuthContext): Promise<TokenSource> {
  const token = ctx.getInput('access-token').trim();
  if (!token) {
    throw new AuthError(
      "No way to authenticate: input 'access-token' is empty. Pass a bearer token for the resource " +
        'https://cloudpartner.azure.com, e.g. access-token: ${{ steps.token.outputs.token }}.',
    );
  }
  ctx.info('Authenticating with the access-token input.');
  return { renewable: false, token: async () => token };
}
