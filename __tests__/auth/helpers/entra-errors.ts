/**
 * Errors shaped like the ones @azure/identity 4.14 throws, as seen against the fake Entra in the
 * end-to-end tests: an `AuthenticationRequiredError` whose cause is MSAL's `ServerError`.
 */

export function entraRefusal(
  code: number,
  description: string,
  status = 400,
  errorCode = 'invalid_client',
): Error {
  const text =
    `Error(s): ${code} - Timestamp: Not Available - Description: AADSTS${code}: ${description}\r\n` +
    'Trace ID: 0f6c3a8e-1b2c-4d5e-8f90-a1b2c3d4e5f6\r\n' +
    'Correlation ID: 7d1e2f3a-4b5c-6d7e-8f90-0a1b2c3d4e5f\r\n' +
    'Timestamp: 2026-11-21 11:00:00Z - Correlation ID: 7d1e2f3a-4b5c-6d7e-8f90-0a1b2c3d4e5f - ' +
    'Trace ID: 0f6c3a8e-1b2c-4d5e-8f90-a1b2c3d4e5f6';
  const cause = Object.assign(new Error(`${errorCode}: ${text}`), {
    name: 'ServerError',
    errorCode,
    errorMessage: text,
    status,
    errorNo: code,
  });
  return Object.assign(new Error(`${errorCode}: ${text}`, { cause }), {
    name: 'AuthenticationRequiredError',
  });
}

export const INVALID_SECRET =
  'Invalid client secret provided. Ensure the secret being sent in the request is the client ' +
  'secret value, not the client secret ID, for a secret ' +
  "added to app '00000000-0000-0000-0000-00000000c11e'.";

/** MSAL's answer when the authority could not be reached at all (refused, DNS, TLS, 5xx). */
export function unreachable(
  code: 'network_error' | 'endpoints_resolution_error' = 'endpoints_resolution_error',
): Error {
  return Object.assign(
    new Error(`${code}: See https://aka.ms/msal.js.errors#${code} for details`),
    code === 'network_error'
      ? { name: 'AuthenticationRequiredError' }
      : { name: 'CredentialUnavailableError' },
  );
}

/** What AzureCliCredential throws when running `az` gave ENOENT. */
export function azNotInstalled(): Error {
  return Object.assign(
    new Error(
      'Azure CLI could not be found. Please visit https://aka.ms/azure-cli for installation ' +
        "instructions and then, once installed, authenticate to your Azure account using 'az login'.",
    ),
    { name: 'CredentialUnavailableError' },
  );
}

/** What AzureCliCredential throws when `az` asks for a login. */
export function azSignedOut(): Error {
  return Object.assign(
    new Error(
      "Please run 'az login' from a command prompt to authenticate before using this credential.",
    ),
    { name: 'CredentialUnavailableError' },
  );
}
