import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as l1 from '../../imports/gateway.networking.k8s.io';
import { fail, quote } from '../core/errors';
import { validateDnsSubdomain, validateHostname } from '../core/names';
import { validatePositiveInt } from '../core/percent';
import { MeshResource, MeshResourceProps } from '../core/resource';
import { requireFeature } from '../target/feature-support';
import { GATEWAY_FRONTEND_TLS } from '../target/features';
import { validateLabels } from '../core/labels';

/** Protocols of a Gateway API listener (standard channel). */
export enum ListenerProtocol {
  HTTP = 'HTTP',
  HTTPS = 'HTTPS',
  TLS = 'TLS',
  TCP = 'TCP',
}

/** What a TLS or HTTPS listener does with TLS. */
export enum ListenerTlsMode {
  /** Terminate TLS with the certificates in `certificateRefs`. */
  TERMINATE = 'Terminate',
  /** Pass the encrypted stream to the backend (TLS listeners only). */
  PASSTHROUGH = 'Passthrough',
}

/** TLS settings of a listener. */
export interface ListenerTls {
  /** @default ListenerTlsMode.TERMINATE */
  readonly mode?: ListenerTlsMode;
  /**
   * Names of the Secrets (type kubernetes.io/tls, in the Gateway's namespace) holding the server
   * certificates. Required for TERMINATE.
   * @default - none
   */
  readonly certificateRefs?: string[];
}

/**
 * Which namespaces may attach routes to a listener.
 *
 * @example
 * RouteNamespaces.same()
 * RouteNamespaces.selector({ 'shared-gateway-access': 'true' })
 */
export class RouteNamespaces {
  /** Routes in the Gateway's own namespace (the Gateway API default). */
  public static same(): RouteNamespaces {
    return new RouteNamespaces('Same');
  }
  /** Routes in any namespace. */
  public static all(): RouteNamespaces {
    return new RouteNamespaces('All');
  }
  /** Routes in the namespaces carrying these labels. */
  public static selector(matchLabels: Record<string, string>): RouteNamespaces {
    if (!matchLabels || Object.keys(matchLabels).length === 0) fail('RouteNamespaces.selector', 'matchLabels', 'must not be empty', "pass namespace labels, e.g. { 'shared-gateway-access': 'true' }");
    return new RouteNamespaces('Selector', validateLabels('RouteNamespaces.selector', 'matchLabels', matchLabels));
  }

  private constructor(public readonly from: string, public readonly matchLabels?: Record<string, string>) {}

  /** @internal */
  public _render(): Record<string, unknown> {
    return { from: this.from, selector: this.matchLabels ? { matchLabels: this.matchLabels } : undefined };
  }
}

/** A listener of a {@link GatewayApiGateway}. */
export interface GatewayListener {
  /** The listener (section) name, unique in the Gateway; routes attach to it with `sectionName`. */
  readonly name: string;
  readonly port: number;
  readonly protocol: ListenerProtocol;
  /**
   * The host the listener serves, optionally `*.example.com` (not for TCP).
   * @default - every host
   */
  readonly hostname?: string;
  /** @default - none (required for HTTPS and TLS) */
  readonly tls?: ListenerTls;
  /** @default RouteNamespaces.same() */
  readonly allowedRoutes?: RouteNamespaces;
}

/** Props of a {@link GatewayApiGateway}. */
export interface GatewayApiGatewayProps extends MeshResourceProps {
  /** The GatewayClass that implements the Gateway, e.g. `istio`, `cilium`, `envoy-gateway`. */
  readonly gatewayClassName: string;
  /** @default - none; add with addListener() */
  readonly listeners?: GatewayListener[];
  /**
   * ConfigMaps (key `ca.crt`, in the Gateway's namespace) whose CA validates client certificates
   * on the HTTPS listeners: mutual TLS (`spec.tls.frontend`, Gateway API support level Extended).
   * @default - no client certificates required
   */
  readonly clientCaConfigMaps?: string[];
}

/** The most listeners a Gateway accepts. */
export const GATEWAY_MAX_LISTENERS = 64;

/**
 * A Gateway API `Gateway` (gateway.networking.k8s.io/v1): listeners (port, protocol, hostname,
 * TLS) of a gateway implemented by a GatewayClass. HTTPRoutes attach with `ParentRef.gateway()`.
 *
 * @example
 * new GatewayApiGateway(chart, 'bookinfo-gateway', {
 *   gatewayClassName: 'istio',
 *   listeners: [{ name: 'http', port: 80, protocol: ListenerProtocol.HTTP }],
 * });
 */
export class GatewayApiGateway extends MeshResource {
  /** The most listeners a Gateway accepts (`GATEWAY_MAX_LISTENERS`). */
  public static readonly MAX_LISTENERS = GATEWAY_MAX_LISTENERS;
  public readonly apiObject: ApiObject;
  public readonly gatewayClassName: string;
  private readonly _listeners: GatewayListener[] = [];
  private readonly clientCaConfigMaps: string[];

  public constructor(scope: Construct, id: string, props: GatewayApiGatewayProps) {
    super(scope, id, props);
    if (typeof props.gatewayClassName !== 'string' || props.gatewayClassName.length === 0) {
      fail(this, 'gatewayClassName', `is required, got ${quote(props.gatewayClassName)}`, "pass the GatewayClass of your implementation, e.g. 'istio' or 'cilium'");
    }
    this.gatewayClassName = validateDnsSubdomain(this, 'gatewayClassName', props.gatewayClassName);
    this.clientCaConfigMaps = (props.clientCaConfigMaps ?? []).map((c, i) => validateDnsSubdomain(this, `clientCaConfigMaps[${i}]`, c));
    if (this.clientCaConfigMaps.length) requireFeature(this, 'clientCaConfigMaps', GATEWAY_FRONTEND_TLS, 'drop client certificate validation');
    for (const l of props.listeners ?? []) this.addListener(l);
    this.apiObject = new l1.Gateway(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => this._toKube() }) as l1.GatewaySpec,
    });
    this.node.addValidation({ validate: () => (this._listeners.length ? [] : [`${this.node.path}: listeners must list at least one listener. Fix: call addListener()`]) });
  }

  /** Adds a listener; names, and combinations of port, protocol and hostname, must be unique. */
  public addListener(listener: GatewayListener): void {
    const prop = `listeners[${this._listeners.length}]`;
    if (this._listeners.length >= GATEWAY_MAX_LISTENERS) fail(this, 'listeners', `cannot hold more than ${GATEWAY_MAX_LISTENERS} listeners`, 'split them across Gateways');
    validateListener(this, prop, listener);
    for (const other of this._listeners) {
      if (other.name === listener.name) fail(this, `${prop}.name`, `repeats the listener name ${quote(listener.name)}`, 'give each listener a unique name');
      if (other.port === listener.port && other.protocol === listener.protocol && other.hostname === listener.hostname) {
        fail(this, prop, `repeats port ${listener.port}, protocol ${listener.protocol} and hostname ${quote(listener.hostname ?? '')} of listener ${quote(other.name)}`, 'change the port or give the listeners different hostnames');
      }
    }
    this._listeners.push({ ...listener });
  }

  /** The listeners (a copy). */
  public get listeners(): GatewayListener[] {
    return [...this._listeners];
  }

  /** @internal */
  public _toKube(): l1.GatewaySpec {
    return {
      gatewayClassName: this.gatewayClassName,
      listeners: this._listeners.map((l) => ({
        name: l.name,
        hostname: l.hostname,
        port: l.port,
        protocol: l.protocol,
        tls: l.tls ? {
          mode: l.tls.mode ?? ListenerTlsMode.TERMINATE,
          certificateRefs: l.tls.certificateRefs?.length ? l.tls.certificateRefs.map((name) => ({ group: '', kind: 'Secret', name })) : undefined,
        } : undefined,
        allowedRoutes: { namespaces: (l.allowedRoutes ?? RouteNamespaces.same())._render() },
      })),
      tls: this.clientCaConfigMaps.length ? {
        frontend: { default: { validation: { caCertificateRefs: this.clientCaConfigMaps.map((name) => ({ group: '', kind: 'ConfigMap', name })) } } },
      } : undefined,
    } as unknown as l1.GatewaySpec;
  }
}

function validateListener(scope: Construct, prop: string, l: GatewayListener): void {
  validateDnsSubdomain(scope, `${prop}.name`, l.name);
  validatePositiveInt(scope, `${prop}.port`, l.port, { max: 65535 });
  if (!Object.values(ListenerProtocol).includes(l.protocol)) fail(scope, `${prop}.protocol`, `is not a listener protocol, got ${quote(l.protocol)}`, 'use ListenerProtocol.HTTP, HTTPS, TLS or TCP');
  if (l.hostname !== undefined) {
    if (l.hostname === '*') fail(scope, `${prop}.hostname`, "cannot be '*'", 'omit it to serve every host');
    validateHostname(scope, `${prop}.hostname`, l.hostname, { wildcard: true });
    if (l.protocol === ListenerProtocol.TCP) fail(scope, `${prop}.hostname`, `cannot be set on a TCP listener, got ${quote(l.hostname)}`, 'omit it');
  }
  if (l.allowedRoutes !== undefined && !(l.allowedRoutes instanceof RouteNamespaces)) {
    fail(scope, `${prop}.allowedRoutes`, `must be a RouteNamespaces, got ${quote(l.allowedRoutes)}`, 'use RouteNamespaces.same(), .all() or .selector(...)');
  }
  if (l.protocol === ListenerProtocol.HTTP || l.protocol === ListenerProtocol.TCP) {
    if (l.tls) fail(scope, `${prop}.tls`, `cannot be set on a ${l.protocol} listener`, 'use ListenerProtocol.HTTPS or TLS for TLS');
    return;
  }
  if (!l.tls) fail(scope, `${prop}.tls`, `is required for a ${l.protocol} listener`, 'pass tls: { certificateRefs: [<secret>] } (or mode PASSTHROUGH on a TLS listener)');
  const mode = l.tls.mode ?? ListenerTlsMode.TERMINATE;
  if (!Object.values(ListenerTlsMode).includes(mode)) fail(scope, `${prop}.tls.mode`, `is not a TLS mode, got ${quote(mode)}`, 'use ListenerTlsMode.TERMINATE or PASSTHROUGH');
  if (l.protocol === ListenerProtocol.HTTPS && mode !== ListenerTlsMode.TERMINATE) {
    fail(scope, `${prop}.tls.mode`, `must be TERMINATE on an HTTPS listener, got ${mode}`, 'use a TLS listener for passthrough');
  }
  const refs = l.tls.certificateRefs ?? [];
  if (mode === ListenerTlsMode.TERMINATE && refs.length === 0) fail(scope, `${prop}.tls.certificateRefs`, 'must name at least one Secret to terminate TLS', 'pass the name of a kubernetes.io/tls Secret');
  if (mode === ListenerTlsMode.PASSTHROUGH && refs.length) fail(scope, `${prop}.tls.certificateRefs`, 'are not used in PASSTHROUGH mode', 'remove them');
  if (refs.length > 64) fail(scope, `${prop}.tls.certificateRefs`, `lists ${refs.length} Secrets, more than 64`, 'reduce the list');
  refs.forEach((r, i) => validateDnsSubdomain(scope, `${prop}.tls.certificateRefs[${i}]`, r));
}
