import { Duration } from 'cdk8s';

/**
 * How often and how patiently one probe of a workload container checks the app.
 * Every field falls back to the probe's default.
 */
export interface ProbeSettings {
  /**
   * The HTTP path probed, on HTTP, HTTP/2, gRPC-Web and HTTPS ports; an error on gRPC and TCP
   * ports, which are probed without a path.
   * @default - the workload's `healthCheckPath` ('/')
   */
  readonly path?: string;
  /** Wait this long after the container starts before the first probe. @default - no delay (0 s) */
  readonly initialDelay?: Duration;
  /** Time between probes, whole seconds. @default - 10 s for readiness and liveness, 5 s for startup */
  readonly period?: Duration;
  /** Consecutive failures before the probe fails. @default - 3 for readiness and liveness, 12 for startup (60 s) */
  readonly failureThreshold?: number;
}
