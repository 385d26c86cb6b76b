/**
 * The faults and bad inputs the fault-injection suite (`faults.test.ts`) tries, with what the action
 * does about each. The README's table is generated from this list (`npm run docs`), and the suite
 * has one test per row that proves the row's outcome.
 */
export interface FaultCase {
  id: string;
  /** What goes wrong, as the README says it. */
  fault: string;
  outcome: 'waited through' | 'failed clearly';
  /** What the user sees, briefly. */
  seen: string;
}

export const faultCases: FaultCase[] = [
  {
    id: '408',
    fault: 'HTTP 408, no body',
    outcome: 'waited through',
    seen: 'a retry line; the read succeeds on retry',
  },
  {
    id: '429',
    fault: 'HTTP 429 with `Retry-After: 2`',
    outcome: 'waited through',
    seen: 'the retry waits the 2 s asked for',
  },
  {
    id: '500-json',
    fault: 'HTTP 500 with a JSON error body',
    outcome: 'waited through',
    seen: "a retry line quoting the service's error code and message",
  },
  {
    id: '502-html',
    fault: 'HTTP 502 with an HTML error page',
    outcome: 'waited through',
    seen: "a retry line quoting the page's text, not its markup",
  },
  {
    id: '503-date',
    fault: 'HTTP 503 with `Retry-After` as an HTTP date',
    outcome: 'waited through',
    seen: 'the retry waits until that date',
  },
  { id: '504', fault: 'HTTP 504, no body', outcome: 'waited through', seen: 'a retry line' },
  {
    id: 'refused',
    fault: 'connection refused (service not up yet)',
    outcome: 'waited through',
    seen: '`the connection was refused (ECONNREFUSED)`, then the read succeeds',
  },
  {
    id: 'reset',
    fault: 'connection reset mid-response',
    outcome: 'waited through',
    seen: 'a retry line, then the read succeeds',
  },
  {
    id: 'dns',
    fault: 'DNS failure',
    outcome: 'waited through',
    seen: '`the host name could not be resolved (DNS)`, then the read succeeds',
  },
  {
    id: 'stall',
    fault: 'a server that accepts and never answers',
    outcome: 'waited through',
    seen: 'the request gives up after `request-timeout` and is retried',
  },
  {
    id: 'stall-deadline',
    fault: 'a server that never answers, past `timeout`',
    outcome: 'failed clearly',
    seen: '`The wait ran out of time after 3s (timeout)`; the hung request is abandoned at the deadline',
  },
  {
    id: 'budget',
    fault: 'HTTP 503 on every read',
    outcome: 'failed clearly',
    seen: '`The last 2 reads failed; giving up (max-failed-reads)`',
  },
  {
    id: '400',
    fault: 'HTTP 400 with `{"error":{"code","message"}}`',
    outcome: 'failed clearly',
    seen: "the endpoint, the status and the service's code and message",
  },
  {
    id: '422',
    fault: 'HTTP 422 (validation failed)',
    outcome: 'failed clearly',
    seen: "the endpoint, the status and the service's code and message",
  },
  {
    id: '401',
    fault: 'HTTP 401',
    outcome: 'failed clearly',
    seen: 'the token is missing, invalid or expired, for which resource',
  },
  {
    id: '403',
    fault: 'HTTP 403',
    outcome: 'failed clearly',
    seen: 'add the service principal by its enterprise application Object ID',
  },
  {
    id: '404-offer',
    fault: 'unknown `offer-id`',
    outcome: 'failed clearly',
    seen: "the offer was not found; the closest ids among the publisher's offers",
  },
  {
    id: '404-publisher',
    fault: 'unknown `publisher-id`',
    outcome: 'failed clearly',
    seen: 'the publisher was not found',
  },
  {
    id: '404-operation',
    fault: 'unknown `operation-id`',
    outcome: 'failed clearly',
    seen: 'the operation was not found; leave it empty to follow the offer',
  },
  {
    id: 'not-json',
    fault: 'a 200 whose body is not JSON',
    outcome: 'failed clearly',
    seen: 'the endpoint, the status and a short excerpt of the body',
  },
  {
    id: 'wrong-shape',
    fault: 'JSON of the wrong shape',
    outcome: 'failed clearly',
    seen: 'the endpoint, the field that is wrong and an excerpt',
  },
  {
    id: 'token-echo',
    fault: 'an error body that echoes the bearer token',
    outcome: 'failed clearly',
    seen: 'the token is `***` in the log, outputs and summary',
  },
  {
    id: 'huge',
    fault: 'messages of megabytes',
    outcome: 'waited through',
    seen: 'the summary stays under 1 MiB, with a note',
  },
  {
    id: 'bad-id',
    fault: '`offer-id` with `/`, `..`, `?`, `#`, spaces or control characters',
    outcome: 'failed clearly',
    seen: 'the input named, nothing requested',
  },
  {
    id: 'http-url',
    fault: '`base-url` on plain http off loopback',
    outcome: 'failed clearly',
    seen: 'the input named, nothing requested',
  },
  {
    id: 'cancel',
    fault: 'workflow cancelled (SIGINT, then SIGTERM)',
    outcome: 'failed clearly',
    seen: 'the request in flight is aborted; summary (marked cancelled) and outputs written; exit within seconds; no cancel call to the API',
  },
];
