import { describe, expect, test } from '@jest/globals';
import { AuthenticationError } from '@azure/identity';
import {
  aadsts,
  AuthError,
  describeTokenFailure,
  isAzureCliMissing,
  scrub,
  type FailureContext,
} from '../../src/auth/errors.js';
import {
  azNotInstalled,
  azSignedOut,
  entraRefusal,
  INVALID_SECRET,
  unreachable,
} from './helpers/entra-errors.js';

const SECRET = 'Zq8~s3cr3t.value-never-shown';

const context = (over: Partial<FailureContext> = {}): FailureContext => ({
  way: 'client-secret',
  resource: 'https://cloudpartner.azure.com',
  authorityHost: 'https://login.microsoftonline.com',
  tenantId: 'contoso.onmicrosoft.com',
  clientId: '00000000-0000-0000-0000-00000000c11e',
  secrets: [SECRET],
  ...over,
});

describe('Entra refusals', () => {
  test('AADSTS7000215: the code and description first, then what to do', () => {
    const failure = describeTokenFailure(entraRefusal(7000215, INVALID_SECRET, 401), context());
    expect(failure).toEqual({
      transient: false,
      code: 'AADSTS7000215',
      message:
        `Microsoft Entra ID refused the client-secret sign-in: AADSTS7000215: ${INVALID_SECRET} ` +
        '(trace ID 0f6c3a8e-1b2c-4d5e-8f90-a1b2c3d4e5f6, correlation ID ' +
        "7d1e2f3a-4b5c-6d7e-8f90-0a1b2c3d4e5f). Check client-secret: use the secret's Value (not " +
        "its Secret ID) from the app's Certificates & secrets page, and make sure it belongs to " +
        'this client-id and has not been deleted.',
    });
  });

  test('never shows the secret, even when Entra echoes it', () => {
    const echoed = entraRefusal(7000215, `Invalid client secret provided: '${SECRET}'.`, 401);
    const { message } = describeTokenFailure(echoed, context());
    expect(message).not.toContain(SECRET);
    expect(message).toContain("Invalid client secret provided: '***'.");
  });

  test('AADSTS700016: names the client-id and tenant-id to check', () => {
    const { message } = describeTokenFailure(
      entraRefusal(
        700016,
        "Application with identifier '00000000-0000-0000-0000-00000000c11e' was not found in the " +
          "directory 'Contoso'.",
        400,
        'unauthorized_client',
      ),
      context(),
    );
    expect(message).toMatch(
      /^Microsoft Entra ID refused the client-secret sign-in: AADSTS700016: Application with identifier/,
    );
    expect(message).toContain(
      "No application with client-id '00000000-0000-0000-0000-00000000c11e' was found in tenant " +
        "'contoso.onmicrosoft.com'.",
    );
  });

  test('AADSTS70021: explains the federated credential, with the subject GitHub sent', () => {
    const { message } = describeTokenFailure(
      entraRefusal(70021, 'No matching federated identity record found for presented assertion.'),
      context({ way: 'oidc', oidcSubject: 'repo:contoso/release:ref:refs/heads/dev' }),
    );
    expect(message).toMatch(
      /^Microsoft Entra ID refused the oidc \(GitHub OIDC federation\) sign-in: AADSTS70021: No matching/,
    );
    expect(message).toContain('repo:OWNER/REPO:ref:refs/heads/main');
    expect(message).toContain('repo:OWNER/REPO:environment:NAME');
    expect(message).toContain(
      "(this job's token has subject 'repo:contoso/release:ref:refs/heads/dev')",
    );
  });

  test('an unknown AADSTS code is still shown with its description', () => {
    const { message, code } = describeTokenFailure(
      entraRefusal(7000112, 'Application is disabled.'),
      context(),
    );
    expect(code).toBe('AADSTS7000112');
    expect(message).toMatch(/AADSTS7000112: Application is disabled\. \(trace ID [^)]+\)\.$/);
  });

  test("@azure/identity's own AuthenticationError is read the same way", () => {
    const error = new AuthenticationError(401, {
      error: 'invalid_client',
      error_description: `AADSTS7000215: ${INVALID_SECRET}\r\nTrace ID: t-1\r\nCorrelation ID: c-1`,
    });
    expect(aadsts(error)).toEqual({ code: 'AADSTS7000215', description: INVALID_SECRET });
    expect(describeTokenFailure(error, context()).message).toContain(
      '(trace ID t-1, correlation ID c-1).',
    );
  });
});

describe('other failures', () => {
  test.each(['network_error', 'endpoints_resolution_error'] as const)(
    '%s means Entra could not be reached: transient, and says where',
    (code) => {
      const failure = describeTokenFailure(unreachable(code), context());
      expect(failure.transient).toBe(true);
      expect(failure.message).toBe(
        'Could not reach Microsoft Entra ID at https://login.microsoftonline.com for the ' +
          `client-secret sign-in (${code}). Check authority-host and that the runner can reach ` +
          'it (network, proxy, TLS certificate).',
      );
    },
  );

  test('an AuthError made inside the sign-in (the GitHub token request) passes through', () => {
    const inner = new AuthError(`GitHub did not issue an OIDC token: HTTP 403 (${SECRET}).`);
    const wrapped = Object.assign(new Error('wrapped', { cause: inner }), {
      name: 'AuthenticationRequiredError',
    });
    expect(describeTokenFailure(wrapped, context({ way: 'oidc' }))).toEqual({
      message: 'GitHub did not issue an OIDC token: HTTP 403 (***).',
      transient: false,
    });
  });

  test('a managed identity that is not there', () => {
    const failure = describeTokenFailure(
      Object.assign(
        new Error(
          'ManagedIdentityCredential: Authentication failed. Message Attempted to use the IMDS ' +
            'endpoint, but it is not available.',
        ),
        { name: 'CredentialUnavailableError' },
      ),
      context({ way: 'managed-identity' }),
    );
    expect(failure.transient).toBe(false);
    expect(failure.message).toMatch(
      /^Could not get a Microsoft Entra ID token \(managed-identity\): ManagedIdentityCredential: /,
    );
    expect(failure.message).toContain('exists only on a runner hosted in Azure');
  });
});

describe('the Azure CLI', () => {
  const cli = context({ way: 'azure-cli' });

  test('not installed', () => {
    expect(isAzureCliMissing(azNotInstalled())).toBe(true);
    expect(describeTokenFailure(azNotInstalled(), cli).message).toBe(
      'The Azure CLI (az) was not found on PATH. auth-type azure-cli uses the session that the ' +
        'azure/login action leaves: run azure/login before this step on a runner with the Azure ' +
        'CLI, or choose another auth-type.',
    );
  });

  test('not signed in', () => {
    expect(isAzureCliMissing(azSignedOut())).toBe(false);
    expect(describeTokenFailure(azSignedOut(), cli).message).toMatch(
      /^The Azure CLI has no signed-in session .* Run the azure\/login action before this step/,
    );
  });

  test("az's own error, with an AADSTS code when it has one", () => {
    const stderr = Object.assign(
      new Error(
        'ERROR: AADSTS700082: The refresh token has expired due to inactivity.\nTrace ID: t-2',
      ),
      { name: 'CredentialUnavailableError' },
    );
    expect(describeTokenFailure(stderr, cli).message).toBe(
      'The Azure CLI could not get a token for https://cloudpartner.azure.com: AADSTS700082: ' +
        'The refresh token has expired due to inactivity.',
    );
  });
});

test('scrub leaves values under 4 characters alone, as the runner does', () => {
  expect(scrub('abc abcd', ['abc', 'abcd'])).toBe('abc ***');
});
