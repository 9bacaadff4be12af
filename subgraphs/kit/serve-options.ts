import type { CallerTrust } from './caller-trust.ts';
import type { CountersignOptions } from './countersign.ts';

export interface ServeOptions {
  /** Whom the provider answers; without it, anyone (a provider run outside the platform). */
  trust?: CallerTrust;
  /** The provider countersigns the operator's audit checkpoints (its key, its copies). */
  countersign?: CountersignOptions;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** When the provider's store last changed, reported in `extensions.jointgraph.updatedAt`. */
  updatedAt?: () => string;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}
