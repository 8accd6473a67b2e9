/** Options for a version of a service. */
export interface ServiceVersionOptions {
  /**
   * Pod labels that select this version's pods, in addition to the service's selector.
   * @default { version: <name> }
   */
  readonly labels?: Record<string, string>;
  /**
   * The per-version Service that GAMMA and Linkerd route to.
   * @default `<service>-<version>`, e.g. `reviews-v1`
   */
  readonly serviceName?: string;
}

/**
 * A version of a service: an Istio subset, or a per-version Service for GAMMA and Linkerd.
 * Created with `MeshService.addVersion()`.
 */
export class ServiceVersion {
  /** @internal */
  public constructor(
    /** The version name, e.g. `v1`; also the Istio subset name. */
    public readonly name: string,
    /** The labels that select this version's pods, including the service's selector. */
    public readonly podLabels: Readonly<Record<string, string>>,
    /** The labels that distinguish this version from the others (the subset's labels). */
    public readonly labels: Readonly<Record<string, string>>,
    /** The per-version Service name used by GAMMA and Linkerd. */
    public readonly serviceName: string,
  ) {}
}
