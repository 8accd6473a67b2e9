import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as istio from '../../imports/networking.istio.io';
import * as linkerd from '../../imports/policy.linkerd.io';
import { envoyDuration } from '../core/duration';
import { fail, quote } from '../core/errors';
import { chosenName } from '../core/object-names';
import { Mesh } from '../core/mesh';
import { DEFAULT_INBOUND_POLICY_ANNOTATION, isLinkerdAccessPolicy, namespaceInboundPolicy } from '../security/linkerd/namespace-policy';
import { LinkerdAccessPolicy, LinkerdServer, sharedServer } from '../security/linkerd/server';
import { MeshService } from '../service/mesh-service';
import { ServicePort } from '../service/service-port';
import { RateLimit } from './rate-limit';
import { addMeshValidation } from '../core/validation-pass';

/** A per-client exception to a Linkerd rate limit. */
export interface RateLimitOverride {
  /** The rate these clients get. */
  readonly limit: RateLimit;
  /** The calling services (their ServiceAccounts are the identities). */
  readonly clients: MeshService[];
}

/** Props of a {@link LocalRateLimit}. */
export interface LocalRateLimitProps {
  /** The service whose pods limit their inbound requests. */
  readonly service: MeshService;
  /**
   * The name of the rate-limit object (the EnvoyFilter on Istio, the HTTPLocalRateLimitPolicy on
   * Linkerd). The Linkerd Server it targets is named on the service (`names.linkerdServers`).
   * @default `<service>-local-ratelimit`
   */
  readonly name?: string;
  /** The rate each pod accepts in total (a per-instance token bucket). */
  readonly limit: RateLimit;
  /**
   * The port limited.
   * @default - Istio: every inbound HTTP port; Linkerd: the service's only port (required when it has several)
   */
  readonly port?: number;
  /**
   * Bucket size: requests accepted in a burst (Istio `max_tokens`). Istio only. At least the
   * limit's request count: Envoy refills the bucket once per period, so a smaller bucket would cap
   * the rate at `burst` per period (for a small burst, use a shorter period).
   * @default - the limit's request count
   */
  readonly burst?: number;
  /**
   * Status returned to rejected requests (Istio; Linkerd always answers 429).
   * @default 429
   */
  readonly responseStatus?: number;
  /**
   * Headers added to rejected responses (Istio only).
   * @default { 'x-local-rate-limit': 'true' }
   */
  readonly responseHeaders?: Record<string, string>;
  /**
   * Percentage of requests the limit is enforced on; the rest are only counted (Istio
   * `filter_enforced`, for a dry run). Istio only.
   * @default 100
   */
  readonly enforcedPercent?: number;
  /**
   * Rate for each client identity, for fairness (Linkerd `identity`). Linkerd only.
   * @default - no per-client limit
   */
  readonly perClient?: RateLimit;
  /**
   * Per-client exceptions (Linkerd `overrides`). Linkerd only.
   * @default - none
   */
  readonly overrides?: RateLimitOverride[];
  /**
   * Linkerd: the Server the policy targets. When none is given, the Server `<service>-<port name>`
   * is created, or shared with the other constructs that need it (a ServiceAuthorization allowing
   * callers on the port: its policies then decide who may call).
   * @default - the port's shared Server
   */
  readonly server?: LinkerdServer;
  /**
   * Linkerd: `accessPolicy` of the Server created when none is given. A Server replaces the
   * namespace's default inbound policy for its port, so the default keeps that policy, read from
   * the app's Namespace object (`config.linkerd.io/default-inbound-policy`, as StrictMtlsNamespace
   * writes it): adding a rate limit does not change who may call. Without that Namespace in the
   * app, synth fails and asks for this prop. On a Server shared with a ServiceAuthorization the
   * authorization's `deny` applies instead (setting another policy here is then an error).
   * @default - the namespace's default inbound policy
   */
  readonly serverAccessPolicy?: LinkerdAccessPolicy;
}

/** The header Istio's documented local rate limit adds to rejected responses. */
export const DEFAULT_RATE_LIMIT_HEADERS: Readonly<Record<string, string>> = { 'x-local-rate-limit': 'true' };

/**
 * Local (per-instance) rate limiting of a service's inbound requests: each pod's proxy admits at
 * most `limit`, rejecting the rest with 429.
 *
 * - Istio: an `EnvoyFilter` (networking.istio.io/v1alpha3, named `<service>-local-ratelimit`)
 *   inserting `envoy.filters.http.local_ratelimit` into the workload's inbound HTTP filter chain,
 *   following Istio's "Enabling Rate Limits using Envoy" task.
 * - Linkerd: an `HTTPLocalRateLimitPolicy` (policy.linkerd.io/v1alpha1) targeting a `Server`, with
 *   optional per-identity limits and overrides.
 *
 * Global rate limiting (one budget shared by all pods) needs an external rate-limit service
 * (Envoy's ratelimit + Redis) and is out of scope; see docs/resilience.md.
 */
export class LocalRateLimit extends Construct {
  /** The header Istio's documented local rate limit adds to rejected responses (a copy of `DEFAULT_RATE_LIMIT_HEADERS`). */
  public static readonly DEFAULT_RESPONSE_HEADERS: Record<string, string> = { ...DEFAULT_RATE_LIMIT_HEADERS };
  public readonly service: MeshService;
  public readonly limit: RateLimit;
  /** Istio: the EnvoyFilter. */
  public readonly envoyFilter?: ApiObject;
  /** Linkerd: the HTTPLocalRateLimitPolicy. */
  public readonly rateLimitPolicy?: ApiObject;
  /** Linkerd: the Server targeted (given or created). */
  public readonly server?: LinkerdServer;

  public constructor(scope: Construct, id: string, props: LocalRateLimitProps) {
    super(scope, id);
    if (!MeshService.isMeshService(props.service)) fail(this, 'service', `must be a MeshService, got ${quote(props.service)}`, 'pass the MeshService to protect');
    if (!(props.limit instanceof RateLimit)) fail(this, 'limit', `must be a RateLimit, got ${quote(props.limit)}`, 'use RateLimit.perSecond(100)');
    const s = props.service;
    this.service = s;
    this.limit = props.limit;
    const port = props.port !== undefined ? s.port(props.port, this, 'port') : undefined;
    switch (s.mesh) {
      case Mesh.ISTIO:
        this.rejectFor('istio', props, ['perClient', 'overrides', 'server', 'serverAccessPolicy'], 'they are Linkerd HTTPLocalRateLimitPolicy settings');
        this.envoyFilter = this.istioFilter(props, port);
        break;
      case Mesh.LINKERD: {
        this.rejectFor('linkerd', props, ['burst', 'responseHeaders', 'enforcedPercent'], 'Linkerd\'s HTTPLocalRateLimitPolicy has no such setting');
        if (props.responseStatus !== undefined && props.responseStatus !== 429) fail(this, 'responseStatus', `cannot be rendered for linkerd: Linkerd always answers rate-limited requests with 429, got ${props.responseStatus}`, 'remove responseStatus for Linkerd');
        const p = port ?? (s.ports.length === 1 ? s.ports[0] : fail(this, 'port', `is required: ${s.serviceName} has ports ${s.ports.map((q) => `${q.name}(${q.port})`).join(', ')} and a Linkerd Server covers one`, 'pass { port }'));
        this.server = props.server ?? sharedServer(this, 'Server', this, 'serverAccessPolicy', s, p, {
          accessPolicy: props.serverAccessPolicy,
          decidesAccess: props.serverAccessPolicy !== undefined,
          inheritAccess: () => this.namespacePolicy() ?? LinkerdAccessPolicy.DENY,
        });
        if (!props.server && props.serverAccessPolicy === undefined) addMeshValidation(this, () => this.checkInheritedPolicy(p.name));
        this.rateLimitPolicy = this.linkerdPolicy(props, this.server);
        break;
      }
      default:
        fail(this, 'service', `cannot be rendered for ${s.mesh === Mesh.GATEWAY_API ? 'the Gateway API (GAMMA)' : s.mesh}: the Gateway API has no rate limiting`, 'render this chart for Istio or Linkerd');
    }
  }

  private rejectFor(mesh: string, props: LocalRateLimitProps, keys: Array<keyof LocalRateLimitProps>, why: string): void {
    for (const k of keys) {
      if (props[k] !== undefined) fail(this, k, `cannot be rendered for ${mesh}: ${why}`, `remove ${k} for ${mesh}`);
    }
  }

  private istioFilter(props: LocalRateLimitProps, port?: ServicePort): ApiObject {
    const s = this.service;
    const burst = props.burst ?? props.limit.requests;
    if (!Number.isInteger(burst) || burst < 1 || burst > 4_294_967_295) fail(this, 'burst', `must be a whole number from 1 to 4294967295, got ${quote(burst)}`, 'pass e.g. the limit\'s request count');
    if (burst < props.limit.requests) {
      fail(this, 'burst', `is ${burst}, below the ${props.limit.requests} requests the limit refills at once: Envoy adds tokens once per period up to the bucket size, so at most ${burst} requests per period would pass`,
        `raise burst to at least ${props.limit.requests}, or express the rate over a shorter period (e.g. RateLimit.of(n, Duration.seconds(1))) so that one refill fits the burst`);
    }
    const status = props.responseStatus ?? 429;
    if (!Number.isInteger(status) || status < 400 || status > 599) fail(this, 'responseStatus', `must be a 4xx or 5xx status (Envoy uses 429 for anything below 400), got ${quote(status)}`, 'use 429 or 503');
    const enforced = props.enforcedPercent ?? 100;
    if (!Number.isInteger(enforced) || enforced < 0 || enforced > 100) fail(this, 'enforcedPercent', `must be a whole percentage from 0 to 100, got ${quote(enforced)}`, 'pass 100 to enforce, 0 for a dry run');
    const headers = props.responseHeaders ?? DEFAULT_RATE_LIMIT_HEADERS;
    for (const name of Object.keys(headers)) {
      if (!/^[a-z0-9!#$%&'*+\-.^_`|~]+$/.test(name)) fail(this, 'responseHeaders', `has an invalid header name ${quote(name)}`, 'use lower-case header names such as "x-local-rate-limit"');
    }
    const fraction = (runtimeKey: string, percent: number) => ({ runtime_key: runtimeKey, default_value: { numerator: percent, denominator: 'HUNDRED' } });
    const value: Record<string, unknown> = {
      stat_prefix: 'http_local_rate_limiter',
      token_bucket: { max_tokens: burst, tokens_per_fill: props.limit.requests, fill_interval: envoyDuration(this, 'limit.per', props.limit.per) },
      filter_enabled: fraction('local_rate_limit_enabled', 100),
      filter_enforced: fraction('local_rate_limit_enforced', enforced),
      response_headers_to_add: Object.entries(headers).sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, v]) => ({ append_action: 'OVERWRITE_IF_EXISTS_OR_ADD', header: { key, value: v } })),
    };
    if (status !== 429) value.status = { code: status };
    const spec: istio.EnvoyFilterSpec = {
      workloadSelector: { labels: s.selector },
      configPatches: [{
        applyTo: istio.EnvoyFilterSpecConfigPatchesApplyTo.HTTP_UNDERSCORE_FILTER,
        match: {
          context: istio.EnvoyFilterSpecConfigPatchesMatchContext.SIDECAR_UNDERSCORE_INBOUND,
          listener: {
            portNumber: port?.port,
            filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } },
          },
        },
        patch: {
          operation: istio.EnvoyFilterSpecConfigPatchesPatchOperation.INSERT_UNDERSCORE_BEFORE,
          value: {
            name: 'envoy.filters.http.local_ratelimit',
            typed_config: {
              '@type': 'type.googleapis.com/udpa.type.v1.TypedStruct',
              'type_url': 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
              value,
            },
          },
        },
      }],
    };
    const name = chosenName(this, 'name', 'networking.istio.io/EnvoyFilter', props.name, `${s.serviceName}-local-ratelimit`);
    return new istio.EnvoyFilter(this, 'Resource', { metadata: { name, namespace: s.namespace }, spec });
  }

  private namespacePolicy(): LinkerdAccessPolicy | undefined {
    const value = namespaceInboundPolicy(this, this.service.namespace);
    return isLinkerdAccessPolicy(value) ? value : undefined;
  }

  /**
   * A Server replaces the namespace's default inbound policy for its port: keeping that default
   * needs it known, or a rate limit would open a deny-by-default namespace's port to any client.
   */
  private checkInheritedPolicy(portName: string): string[] {
    if (this.server!._accessDecided) return []; // a ServiceAuthorization on the port decides
    const ns = this.service.namespace;
    const value = namespaceInboundPolicy(this, ns);
    if (isLinkerdAccessPolicy(value)) return [];
    const why = value === undefined
      ? `this app does not define namespace ${quote(ns)} with a ${DEFAULT_INBOUND_POLICY_ANNOTATION} annotation`
      : `namespace ${quote(ns)} has ${DEFAULT_INBOUND_POLICY_ANNOTATION}: ${quote(value)}, which a Server's accessPolicy cannot take`;
    // thrown, not returned: validations run at synth, and the error must stay a MeshConfigError
    return fail(this, 'serverAccessPolicy', `is needed: the Server ${this.server!.name} replaces the default inbound policy of namespace ${quote(ns)} for port ${portName}, and ${why}`,
      'pass serverAccessPolicy with the namespace\'s default (LinkerdAccessPolicy.DENY in a deny-by-default namespace; ALL_UNAUTHENTICATED is Linkerd\'s install default), or define the namespace in this app with StrictMtlsNamespace');
  }

  private linkerdPolicy(props: LocalRateLimitProps, server: LinkerdServer): ApiObject {
    const s = this.service;
    const rps = (prop: string, r: RateLimit): number => {
      if (!(r instanceof RateLimit)) fail(this, prop, `must be a RateLimit, got ${quote(r)}`, 'use RateLimit.perSecond(...)');
      return r.requestsPerSecond ?? fail(this, prop, `cannot be rendered for linkerd: Linkerd takes whole requests per second, got ${r}`, 'use RateLimit.perSecond(n)');
    };
    const total = rps('limit', props.limit);
    const identity = props.perClient ? rps('perClient', props.perClient) : undefined;
    if (identity !== undefined && identity > total) fail(this, 'perClient', `(${identity}/s) is higher than the total limit (${total}/s)`, 'make the per-client limit at most the total');
    const overrides = (props.overrides ?? []).map((o, i) => {
      const limit = rps(`overrides[${i}].limit`, o.limit);
      if (limit > total) fail(this, `overrides[${i}].limit`, `(${limit}/s) is higher than the total limit (${total}/s)`, 'make overrides at most the total');
      if (!Array.isArray(o.clients) || o.clients.length === 0 || !o.clients.every(MeshService.isMeshService)) fail(this, `overrides[${i}].clients`, 'must list at least one MeshService', 'pass the calling services');
      return {
        requestsPerSecond: limit,
        clientRefs: o.clients.map((c) => ({ kind: 'ServiceAccount', name: c.serviceAccountName, namespace: c.namespace !== s.namespace ? c.namespace : undefined })),
      };
    });
    return new linkerd.HttpLocalRateLimitPolicy(this, 'Resource', {
      metadata: { name: chosenName(this, 'name', 'policy.linkerd.io/HTTPLocalRateLimitPolicy', props.name, `${s.serviceName}-local-ratelimit`), namespace: s.namespace },
      spec: {
        targetRef: { group: 'policy.linkerd.io', kind: 'Server', name: server.name },
        total: { requestsPerSecond: total },
        identity: identity !== undefined ? { requestsPerSecond: identity } : undefined,
        overrides: overrides.length ? overrides : undefined,
      },
    });
  }
}

