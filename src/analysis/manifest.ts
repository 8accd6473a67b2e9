/** The `metadata` of a {@link Manifest}: what the analysis reads of it. */
export interface ManifestMetadata {
  readonly name: string;
  /** @default - the namespace the object is applied in */
  readonly namespace?: string;
  /** @default - none */
  readonly labels?: Record<string, string>;
  /** @default - none */
  readonly annotations?: Record<string, string>;
}

/**
 * A Kubernetes object as plain JSON, as synthesized or read from YAML.
 *
 * In TypeScript a Manifest is the whole object (any other field through the index signature).
 * jsii has no index signatures, so in Python, Java and Go this struct carries `apiVersion`, `kind`,
 * `metadata` and `spec` only: pass whole objects to the analysis as JSON (`Analysis.analyze`
 * takes `any[]`, `Analysis.analyzeYaml` takes YAML text) so no field is lost on the way.
 */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ManifestMetadata;
  /** @default - none */
  readonly spec?: any;
  /**
   * Any other field of the object (`data`, `rules`, `subjects`, ...).
   * @jsii ignore
   */
  readonly [key: string]: any;
  /**
   * Where the object was read from (set by the CLI).
   * @jsii ignore
   */
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
