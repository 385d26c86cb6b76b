/**
 * A `POST configure` request's body as the product-ingestion service checks it first, against the
 * schemas: a 400 `schemaValidationError` with one detail per problem, before anything else is
 * looked at.
 */
import { SCHEMA_HOST, schemaProblems, type Resource, type SchemaProblem } from './resources.js';

/** A configure request the schema refused: the 400's message and details. */
export class SchemaError extends Error {
  constructor(
    message: string,
    readonly details: SchemaProblem[] = [],
  ) {
    super(message);
  }
}

/** A configure request's resources, checked against the schemas (else a `SchemaError`). */
export function parseConfigure(text: string): Resource[] {
  let body: { $schema?: unknown; resources?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new SchemaError('The configure request is not valid (the body is not JSON).');
  }
  const whole = (message: string) =>
    new SchemaError(`The configure request is not valid (${message}).`, [
      { target: '$schema', message },
    ]);
  if (typeof body?.$schema !== 'string' || !body.$schema.startsWith(`${SCHEMA_HOST}configure/`))
    throw whole(`$schema must be ${SCHEMA_HOST}configure/<version>`);
  if (!Array.isArray(body.resources) || body.resources.length === 0)
    throw whole('resources must list at least one resource');
  const problems = schemaProblems(body.resources);
  if (problems.length > 0) {
    const n = new Set(problems.map((p) => p.target)).size;
    throw new SchemaError(
      `The configure request is not valid: ${n} resource${n === 1 ? '' : 's'} failed schema validation.`,
      problems,
    );
  }
  return body.resources as Resource[];
}
