import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { fail, quote } from '../core/errors';
import { Protocol } from './protocol';
import type { ServicePort } from './service-port';

/**
 * The probes of a workload container, in cdk8s-plus-27 terms plus a raw gRPC probe (which cdk8s-plus-27 lacks).
 * @internal
 */
export interface WorkloadProbes {
  readonly readiness?: kplus.Probe;
  readonly startup?: kplus.Probe;
  /** A Kubernetes `grpc` probe, set on the container with a JSON patch. */
  readonly grpc?: { readonly port: number };
  /** The path of the HTTP probes (plain-text HTTP ports only, whose requests the mesh proxy sees). */
  readonly httpPath?: string;
}

// generous start-up budget (60 s): JVM services such as bookinfo's reviews start slowly
const STARTUP = { failureThreshold: 12, periodSeconds: Duration.seconds(5) };
const READINESS = { failureThreshold: 3, periodSeconds: Duration.seconds(10) };
// RFC 3986 path characters, no query or fragment
const PROBE_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

/**
 * Readiness and startup probes on the service's first port, by protocol. A TCP probe only proves
 * that something accepts connections, and with a sidecar that is the proxy, not the app (Linkerd
 * accepts the connection itself: linkerd2#7777), so HTTP ports get HTTP probes on `path`, HTTPS
 * ports HTTPS probes, gRPC ports Kubernetes' gRPC probe (grpc.health.v1), and only TCP-like ports
 * a TCP probe.
 * @internal
 */
export function workloadProbes(scope: Construct, prop: string, port: ServicePort, path: string | undefined): WorkloadProbes {
  const where = path ?? '/';
  if (typeof where !== 'string' || where.length > 1024 || !PROBE_PATH.test(where)) {
    fail(scope, prop, `must be an absolute URL path without query, got ${quote(path)}`, 'pass e.g. "/health" or "/healthz"');
  }
  const number = port.targetPort;
  switch (port.protocol) {
    case Protocol.HTTP:
    case Protocol.HTTP2:
    case Protocol.GRPC_WEB:
    case Protocol.HTTPS: {
      const scheme = port.protocol === Protocol.HTTPS ? kplus.ConnectionScheme.HTTPS : kplus.ConnectionScheme.HTTP;
      return {
        readiness: kplus.Probe.fromHttpGet(where, { port: number, scheme, ...READINESS }),
        startup: kplus.Probe.fromHttpGet(where, { port: number, scheme, ...STARTUP }),
        httpPath: port.protocol === Protocol.HTTPS ? undefined : where,
      };
    }
    case Protocol.GRPC:
      if (path !== undefined) {
        fail(scope, prop, `is set to ${quote(path)}, but the first port is gRPC, which is probed with the gRPC health protocol, not a path`, 'remove healthCheckPath, or put an HTTP port first');
      }
      return { grpc: { port: number } };
    default:
      if (path !== undefined) {
        fail(scope, prop, `is set to ${quote(path)}, but the first port is ${port.protocol}, which is probed with a TCP connection`, 'remove healthCheckPath, or put an HTTP port first');
      }
      return {
        readiness: kplus.Probe.fromTcpSocket({ port: number, ...READINESS }),
        startup: kplus.Probe.fromTcpSocket({ port: number, ...STARTUP }),
      };
  }
}

/**
 * The raw Kubernetes probes for a gRPC port (cdk8s-plus-27 has no gRPC probe).
 * @internal
 */
export function grpcProbes(port: number): { readinessProbe: any; startupProbe: any } {
  return {
    readinessProbe: { grpc: { port }, failureThreshold: READINESS.failureThreshold, periodSeconds: READINESS.periodSeconds.toSeconds() },
    startupProbe: { grpc: { port }, failureThreshold: STARTUP.failureThreshold, periodSeconds: STARTUP.periodSeconds.toSeconds() },
  };
}
