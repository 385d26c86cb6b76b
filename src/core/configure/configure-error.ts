/**
 * A change the step cannot plan, told in the user's terms: the message says what is wrong and what
 * to do, starting with `subject`, what the user wrote (`plan gen2`, `file listing.json`). Pure.
 */
export class ConfigureError extends Error {
  constructor(
    message: string,
    readonly subject: string,
  ) {
    super(message);
    this.name = 'ConfigureError';
  }
}

/** `plan gen2: version 1.4.0 is …`: the error for a subject. */
export function configureError(subject: string, reason: string): ConfigureError {
  return new ConfigureError(subject ? `${subject}: ${reason}` : reason, subject);
}
