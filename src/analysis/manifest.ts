/** A Kubernetes object as plain JSON, as synthesized or read from YAML. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly spec?: any;
  readonly [key: string]: any;
  /** Where the object was read from (set by the CLI). */
  readonly __file?: string;
}

/** The API group of a manifest (`''` for the core group). */
export function groupOf(m: Manifest): string {
  const slash = m.apiVersion.indexOf('/');
  return slash < 0 ? '' : m.apiVersion.slice(0, slash);
}

/** `Kind namespace/name`, the resource label used in findings. */
export function resourceId(m: Manifest, defaultNamespace = 'default'): string {
  return `${m.kind} ${m.metadata.namespace ?? defaultNamespace}/${m.metadata.name}`;
}
