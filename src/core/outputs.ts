/**
 * The step's outputs, computed from the last read. Pure.
 */
import { currentStep, type Snapshot } from './model.js';
import { startedOutput, type StartedWrite } from './started.js';

export type Outputs = Record<
  | 'status'
  | 'timed-out'
  | 'operation-id'
  | 'steps'
  | 'current-step'
  | 'preview-links'
  | 'live-links'
  | 'started',
  string
>;

/** Messages per step in the `steps` output: the latest ones (a job's outputs are capped at 1 MB). */
export const OUTPUT_MESSAGES_PER_STEP = 10;

/** The `steps` output: canonical statuses, plain-text messages. */
export function stepsJson(snapshot: Snapshot | undefined): string {
  return JSON.stringify(
    (snapshot?.steps ?? []).map((s) => ({
      id: s.id,
      name: s.name,
      status: s.status,
      progress: s.progress,
      estimatedTimeFrame: s.estimatedTimeFrame,
      messages: s.messages
        .slice(-OUTPUT_MESSAGES_PER_STEP)
        .map((m) => ({ level: m.level, text: m.text, timestamp: m.timestamp })),
    })),
  );
}

export function toOutputs(
  snapshot: Snapshot | undefined,
  operationId: string,
  timedOut: boolean,
  started: readonly StartedWrite[] = [],
): Outputs {
  return {
    status: snapshot?.status ?? '',
    'timed-out': String(timedOut),
    'operation-id': operationId,
    steps: stepsJson(snapshot),
    'current-step': (snapshot && currentStep(snapshot)?.id) ?? '',
    'preview-links': JSON.stringify(snapshot?.previewLinks ?? []),
    'live-links': JSON.stringify(snapshot?.liveLinks ?? []),
    started: startedOutput(started),
  };
}
