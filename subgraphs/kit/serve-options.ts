export interface ServeOptions {
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
