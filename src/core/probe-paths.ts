/**
 * The HTTP probe paths of a service's workloads, per service port, as the construct that builds
 * the workloads (ServiceWorkloads) declares them. Linkerd's per-route policy reads them: once a
 * Server has HTTPRoutes, Linkerd no longer authorizes the kubelet's probes by itself.
 */
const paths = new WeakMap<object, Map<number, Set<string>>>();
const listeners = new WeakMap<object, Array<() => void>>();

/** Declares that the pods of `service` are probed with HTTP GET `path` on service port `port`. */
export function declareProbePath(service: object, port: number, path: string): void {
  const ports = paths.get(service) ?? new Map<number, Set<string>>();
  const set = ports.get(port) ?? new Set<string>();
  if (set.has(path)) return;
  set.add(path);
  ports.set(port, set);
  paths.set(service, ports);
  for (const listener of listeners.get(service) ?? []) listener();
}

/** The probe paths declared for service port `port` of `service`, sorted. */
export function probePathsOf(service: object, port: number): string[] {
  return [...(paths.get(service)?.get(port) ?? [])].sort();
}

/** Calls `listener` whenever a probe path of `service` is declared (whichever construct comes first). */
export function onProbePath(service: object, listener: () => void): void {
  listeners.set(service, [...(listeners.get(service) ?? []), listener]);
}
