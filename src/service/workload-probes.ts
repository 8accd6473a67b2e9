import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { fail, quote } from '../core/errors';
import { validatePositiveInt } from '../core/percent';
import { Protocol } from './protocol';
import type { ServicePort } from './service-port';
import { ProbeSettings } from './probe-settings';

/** The probe settings of one container; undefined readiness/startup take their defaults. @internal */
export interface ProbeChoices {
  readonly readiness?: ProbeSettings;
  readonly startup?: ProbeSettings;
  /** Only when set: a liveness probe restarts the container, which an app may not expect. */
  readonly liveness?: ProbeSettings;
}

/**
 * The probes of a workload container, in cdk8s-plus-27 terms plus raw gRPC probes (which cdk8s-plus-27 lacks).
 * @internal
 */
export interface WorkloadProbes {
  readonly readiness?: kplus.Probe;
  readonly startup?: kplus.Probe;
  readonly liveness?: kplus.Probe;
  /** Raw Kubernetes `grpc` probes by container field (`readinessProbe`, ...), set with JSON patches. */
  readonly grpc?: Record<string, any>;
  /** The paths of the HTTP probes (plain-text HTTP ports only, whose requests the mesh proxy sees). */
  readonly httpPaths: string[];
}

interface Timing { readonly failureThreshold: number; readonly period: Duration; readonly initialDelay?: Duration }

// generous start-up budget (60 s): JVM services such as bookinfo's reviews start slowly
const DEFAULTS: Record<keyof ProbeChoices, Timing> = {
  readiness: { failureThreshold: 3, period: Duration.seconds(10) },
  startup: { failureThreshold: 12, period: Duration.seconds(5) },
  liveness: { failureThreshold: 3, period: Duration.seconds(10) },
};
// RFC 3986 path characters, no query or fragment
const PROBE_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

/**
 * Readiness and startup probes (and a liveness probe when asked for) on the service's first port,
 * by protocol. A TCP probe only proves that something accepts connections, and with a sidecar that
 * is the proxy, not the app (Linkerd accepts the connection itself: linkerd2#7777), so HTTP ports
 * get HTTP probes on the path, HTTPS ports HTTPS probes, gRPC ports Kubernetes' gRPC probe
 * (grpc.health.v1), and only TCP-like ports a TCP probe.
 * @internal
 */
export function workloadProbes(scope: Construct, prop: string, port: ServicePort, path: string | undefined, choices: ProbeChoices = {}): WorkloadProbes {
  validatePath(scope, prop, path);
  const number = port.targetPort;
  const kinds = (['readiness', 'startup', 'liveness'] as const).filter((k) => k !== 'liveness' || choices.liveness !== undefined);
  const timing = Object.fromEntries(kinds.map((k) => [k, validateTiming(scope, `${k}Probe`, k, choices[k])])) as Record<string, Timing>;
  const options = (k: string) => ({
    failureThreshold: timing[k].failureThreshold, periodSeconds: timing[k].period,
    ...(timing[k].initialDelay ? { initialDelaySeconds: timing[k].initialDelay } : {}),
  });
  const http = [Protocol.HTTP, Protocol.HTTP2, Protocol.GRPC_WEB, Protocol.HTTPS].includes(port.protocol);
  if (!http) {
    const how = port.protocol === Protocol.GRPC ? 'the gRPC health protocol' : 'a TCP connection';
    const fix = 'or put an HTTP port first';
    if (path !== undefined) fail(scope, prop, `is set to ${quote(path)}, but the first port is ${port.protocol === Protocol.GRPC ? 'gRPC' : port.protocol}, which is probed with ${how}, not a path`, `remove healthCheckPath, ${fix}`);
    for (const k of kinds) {
      if (choices[k]?.path !== undefined) fail(scope, `${k}Probe.path`, `is set to ${quote(choices[k]?.path)}, but the first port is ${port.protocol}, which is probed with ${how}, not a path`, `remove the path, ${fix}`);
    }
  }
  if (port.protocol === Protocol.GRPC) {
    return { httpPaths: [], grpc: Object.fromEntries(kinds.map((k) => [`${k}Probe`, grpcProbe(number, timing[k])])) };
  }
  const out: Record<string, kplus.Probe> = {};
  const paths = new Set<string>();
  for (const k of kinds) {
    if (!http) {
      out[k] = kplus.Probe.fromTcpSocket({ port: number, ...options(k) });
      continue;
    }
    const where = choices[k]?.path ?? path ?? '/';
    validatePath(scope, choices[k]?.path !== undefined ? `${k}Probe.path` : prop, where);
    const scheme = port.protocol === Protocol.HTTPS ? kplus.ConnectionScheme.HTTPS : kplus.ConnectionScheme.HTTP;
    out[k] = kplus.Probe.fromHttpGet(where, { port: number, scheme, ...options(k) });
    if (port.protocol !== Protocol.HTTPS) paths.add(where);
  }
  return { readiness: out.readiness, startup: out.startup, liveness: out.liveness, httpPaths: [...paths] };
}

function validatePath(scope: Construct, prop: string, path: string | undefined): void {
  if (path === undefined) return;
  if (typeof path !== 'string' || path.length > 1024 || !PROBE_PATH.test(path)) {
    fail(scope, prop, `must be an absolute URL path without query, got ${quote(path)}`, 'pass e.g. "/health" or "/healthz"');
  }
}

function validateTiming(scope: Construct, prop: string, kind: keyof ProbeChoices, s: ProbeSettings | undefined): Timing {
  const d = DEFAULTS[kind];
  if (s === undefined) return d;
  if (typeof s !== 'object' || s === null) fail(scope, prop, `must be a ProbeSettings object, got ${quote(s)}`, 'pass e.g. { period: Duration.seconds(10) }');
  const seconds = (field: string, value: Duration | undefined, min: number): void => {
    if (value === undefined) return;
    const n = value instanceof Duration ? value.toMilliseconds() / 1000 : NaN;
    if (!Number.isInteger(n) || n < min || n > 3600) {
      fail(scope, `${prop}.${field}`, `must be a Duration of whole seconds from ${min} s to 1 h, got ${value instanceof Duration ? `${n} s` : quote(value)}`, 'use e.g. Duration.seconds(10)');
    }
  };
  seconds('initialDelay', s.initialDelay, 0);
  seconds('period', s.period, 1);
  const failureThreshold = validatePositiveInt(scope, `${prop}.failureThreshold`, s.failureThreshold ?? d.failureThreshold, { max: 1000 });
  return { failureThreshold, period: s.period ?? d.period, initialDelay: s.initialDelay && s.initialDelay.toMilliseconds() > 0 ? s.initialDelay : undefined };
}

function grpcProbe(port: number, t: Timing): any {
  return {
    grpc: { port }, failureThreshold: t.failureThreshold,
    ...(t.initialDelay ? { initialDelaySeconds: t.initialDelay.toSeconds() } : {}),
    periodSeconds: t.period.toSeconds(),
  };
}
