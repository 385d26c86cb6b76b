/**
 * Keeps secrets out of what the runner does not mask: outputs and the job summary. (`core.setSecret`
 * masks log lines only.) Besides the registered secrets it removes anything shaped like a bearer
 * token or a JWT, because error bodies echoed from a service can carry tokens we never saw.
 */
const TOKEN_SHAPES = [
  /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
];

export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string): void {
    // Very short values would blank out ordinary words; the runner makes the same trade-off.
    if (secret.trim().length >= 4) this.secrets.add(secret.trim());
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out.replace(TOKEN_SHAPES[0]!, '$1***').replace(TOKEN_SHAPES[1]!, '***');
  }
}
