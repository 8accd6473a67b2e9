import { ReleaseVersion } from './release-version';

/** An Istio minor release the library can render for. */
export class IstioVersion extends ReleaseVersion {
  /** Istio 1.28 */
  public static readonly V1_28 = new IstioVersion(28);
  /** Istio 1.29 */
  public static readonly V1_29 = new IstioVersion(29);
  /** Istio 1.30 */
  public static readonly V1_30 = new IstioVersion(30);
  /** Every supported release, oldest first. */
  public static readonly SUPPORTED: IstioVersion[] = [IstioVersion.V1_28, IstioVersion.V1_29, IstioVersion.V1_30];
  /** The newest supported release (the default target). */
  public static readonly LATEST = IstioVersion.V1_30;

  private constructor(minor: number) {
    super('Istio', 1, minor, '');
  }
}

/** A Gateway API release (the CRD bundle installed in the cluster) the library can render for. */
export class GatewayApiVersion extends ReleaseVersion {
  /** Gateway API v1.2 */
  public static readonly V1_2 = new GatewayApiVersion(2);
  /** Gateway API v1.3 */
  public static readonly V1_3 = new GatewayApiVersion(3);
  /** Gateway API v1.4 */
  public static readonly V1_4 = new GatewayApiVersion(4);
  /** Gateway API v1.5 */
  public static readonly V1_5 = new GatewayApiVersion(5);
  /** Gateway API v1.6 */
  public static readonly V1_6 = new GatewayApiVersion(6);
  /** Every supported release, oldest first. */
  public static readonly SUPPORTED: GatewayApiVersion[] = [
    GatewayApiVersion.V1_2, GatewayApiVersion.V1_3, GatewayApiVersion.V1_4, GatewayApiVersion.V1_5, GatewayApiVersion.V1_6,
  ];
  /** The newest supported release (the default target). */
  public static readonly LATEST = GatewayApiVersion.V1_6;

  private constructor(minor: number) {
    super('Gateway API', 1, minor, 'v');
  }
}

/** A Linkerd minor release the library can render for. */
export class LinkerdVersion extends ReleaseVersion {
  /** Linkerd 2.18 */
  public static readonly V2_18 = new LinkerdVersion(18);
  /** Linkerd 2.19 */
  public static readonly V2_19 = new LinkerdVersion(19);
  /** Linkerd 2.20 */
  public static readonly V2_20 = new LinkerdVersion(20);
  /** Every supported release, oldest first. */
  public static readonly SUPPORTED: LinkerdVersion[] = [LinkerdVersion.V2_18, LinkerdVersion.V2_19, LinkerdVersion.V2_20];
  /** The newest supported release (the default target). */
  public static readonly LATEST = LinkerdVersion.V2_20;

  private constructor(minor: number) {
    super('Linkerd', 2, minor, '');
  }
}

/** The Gateway API release channel whose CRDs are installed. */
export enum GatewayApiChannel {
  /** The standard channel: stable fields only (what most clusters and vendors install). */
  STANDARD = 'standard',
  /** The experimental channel: the standard fields plus experimental ones (an opt-in). */
  EXPERIMENTAL = 'experimental',
}
