/**
 * What callers of both simulated APIs see: the `Simulator` they get back, the options and write
 * faults they can ask for, and the types of what they read off it. The core itself lives in
 * `service/`; each API's routes and answer shapes in its own server module.
 */
export type { Simulator } from './service/simulator.js';
export type { IngestionSimulator } from './ingestion-server.js';
export type { WriteFault } from './service/faults.js';
export type { SeenRequest } from './service/http.js';
export type { Resource } from './ingestion/resources.js';
