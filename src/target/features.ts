import { GatewayApiVersion, IstioVersion, LinkerdVersion } from './versions';

/**
 * Where a feature became available in the Gateway API: the first release whose standard channel
 * has it, and the first whose experimental channel has it (undefined: not in that channel).
 */
export interface GatewayApiIntroduction {
  readonly standard?: GatewayApiVersion;
  readonly experimental?: GatewayApiVersion;
}

/**
 * A field or resource version whose availability depends on the target's releases. The table
 * below is the library's single source of version knowledge: rendering asks it (`supports`,
 * `requireFeature`) and the docs' version and capability matrices are generated from it.
 */
export interface Feature {
  /** What the feature is, for messages and docs. */
  readonly title: string;
  /** The field as the API writes it. */
  readonly field: string;
  /** The Gateway API releases that introduced it. */
  readonly gatewayApi?: GatewayApiIntroduction;
  /** The Istio release that implements it (checked when Istio is the mesh or the GAMMA implementation). */
  readonly istio?: IstioVersion;
  /**
   * True for HTTPRoute fields, which Linkerd's policy controller reads: on Linkerd they are
   * available only up to the Gateway API release Linkerd supports ({@link LINKERD_GATEWAY_API}).
   */
  readonly readByLinkerd?: boolean;
  /** What rendering does when the target lacks the feature. */
  readonly otherwise: string;
  /** Where the versions come from. */
  readonly source: string;
}

const CRDS = 'CRDs of each release in kubernetes-sigs/gateway-api config/crd (../shared/crd-versions)';

/** HTTPRoute `rules[].name`: lets status and policies name a rule (we name rules after routes). */
export const HTTPROUTE_RULE_NAME: Feature = {
  title: 'HTTPRoute rule names',
  field: 'HTTPRoute spec.rules[].name',
  gatewayApi: { standard: GatewayApiVersion.V1_4, experimental: GatewayApiVersion.V1_2 },
  readByLinkerd: true,
  otherwise: 'left out (a name only labels the rule; routing is the same)',
  source: `GEP-995; ${CRDS}`,
};

/** HTTPRoute `requestMirror.percent`: mirror a share of the requests instead of all of them. */
export const REQUEST_MIRROR_PERCENT: Feature = {
  title: 'partial request mirroring',
  field: 'HTTPRoute RequestMirror filter requestMirror.percent',
  gatewayApi: { standard: GatewayApiVersion.V1_3, experimental: GatewayApiVersion.V1_2 },
  readByLinkerd: true,
  otherwise: 'a 100% mirror is rendered without percent; a partial mirror is refused (an API server without the field would prune it and mirror everything)',
  source: `GEP-3171; ${CRDS}`,
};

/** Gateway `spec.tls.frontend`: the listener validates client certificates (ingress mTLS). */
export const GATEWAY_FRONTEND_TLS: Feature = {
  title: 'client certificate validation on a Gateway (ingress mTLS)',
  field: 'Gateway spec.tls.frontend',
  gatewayApi: { standard: GatewayApiVersion.V1_5, experimental: GatewayApiVersion.V1_4 },
  istio: IstioVersion.V1_28,
  otherwise: 'refused: without it the listener accepts clients without certificates; use IngressApi.ISTIO (Istio Gateway, MUTUAL) on Istio, or raise the target',
  source: `GEP-91; ${CRDS}; Istio implements it from 1.28`,
};

/** `ReferenceGrant` served as `gateway.networking.k8s.io/v1`. */
export const REFERENCE_GRANT_V1: Feature = {
  title: 'ReferenceGrant v1',
  field: 'ReferenceGrant apiVersion gateway.networking.k8s.io/v1',
  gatewayApi: { standard: GatewayApiVersion.V1_5, experimental: GatewayApiVersion.V1_5 },
  otherwise: 'rendered as gateway.networking.k8s.io/v1beta1 (same fields)',
  source: `${CRDS} (the versions served)`,
};

/** HTTPRoute `rules[].timeouts`: request timeouts. */
export const HTTPROUTE_TIMEOUTS: Feature = {
  title: 'HTTPRoute request timeouts',
  field: 'HTTPRoute spec.rules[].timeouts.request',
  gatewayApi: { standard: GatewayApiVersion.V1_2, experimental: GatewayApiVersion.V1_2 },
  readByLinkerd: true,
  otherwise: 'available in every supported release',
  source: `GEP-1742; ${CRDS}`,
};

/** HTTPRoute `rules[].retry`: retries (experimental only). */
export const HTTPROUTE_RETRY: Feature = {
  title: 'HTTPRoute retries',
  field: 'HTTPRoute spec.rules[].retry',
  gatewayApi: { experimental: GatewayApiVersion.V1_2 },
  readByLinkerd: true,
  otherwise: 'refused on GAMMA (Istio renders VirtualService retries, Linkerd retry annotations)',
  source: `GEP-1731; ${CRDS}`,
};

/** RequestRedirect `statusCode` 303, 307 and 308 (Extended; 301 and 302 are Core and always there). */
export const REDIRECT_STATUS_EXTENDED: Feature = {
  title: 'redirect status codes 303, 307 and 308',
  field: 'HTTPRoute RequestRedirect filter requestRedirect.statusCode 303/307/308',
  gatewayApi: { standard: GatewayApiVersion.V1_5, experimental: GatewayApiVersion.V1_5 },
  readByLinkerd: true,
  otherwise: 'refused: use 301 or 302',
  source: `${CRDS} (the statusCode enum)`,
};

/** Every feature, in the order of the docs' version matrix. */
export const FEATURES: Feature[] = [
  HTTPROUTE_TIMEOUTS, REQUEST_MIRROR_PERCENT, HTTPROUTE_RULE_NAME, REFERENCE_GRANT_V1, REDIRECT_STATUS_EXTENDED, GATEWAY_FRONTEND_TLS,
  HTTPROUTE_RETRY,
];

/**
 * The newest Gateway API whose HTTPRoute fields each Linkerd release accepts. Linkerd 2.18–2.20
 * bundle the v1.1.1 experimental CRDs (no rule names, no mirror percent) and document
 * compatibility with Gateway API 1.1.1–1.2.1; Linkerd ignores routes with fields it does not know,
 * so Linkerd charts are rendered with the fields of this release.
 */
export const LINKERD_GATEWAY_API: ReadonlyMap<LinkerdVersion, GatewayApiVersion> = new Map([
  [LinkerdVersion.V2_18, GatewayApiVersion.V1_2],
  [LinkerdVersion.V2_19, GatewayApiVersion.V1_2],
  [LinkerdVersion.V2_20, GatewayApiVersion.V1_2],
]);

/** Where the Linkerd row comes from. */
export const LINKERD_GATEWAY_API_SOURCE = 'linkerd.io/2.18/features/gateway-api (compatibility 1.1.1–1.2.1); linkerd/linkerd2 charts/linkerd-crds at version-2.18…2.20 (bundle-version v1.1.1)';
