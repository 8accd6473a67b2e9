/**
 * A minor release of a system the library renders for (Istio 1.28, Gateway API v1.3, Linkerd
 * 2.18). Patch releases do not change the APIs we emit, so a target names minors only.
 */
export abstract class ReleaseVersion {
  protected constructor(
    /** The system, e.g. `Istio`. */
    public readonly system: string,
    /** The major version. */
    public readonly major: number,
    /** The minor version. */
    public readonly minor: number,
    private readonly prefix: string,
  ) {}

  /** The version as the system writes it: `1.28`, `v1.3`, `2.18`. */
  public toString(): string {
    return `${this.prefix}${this.major}.${this.minor}`;
  }

  /** The system and version, e.g. `Gateway API v1.3`. */
  public get label(): string {
    return `${this.system} ${this.toString()}`;
  }

  /** True when this release is `other` or newer (both of the same system). */
  public isAtLeast(other: ReleaseVersion): boolean {
    return this.major > other.major || (this.major === other.major && this.minor >= other.minor);
  }
}
