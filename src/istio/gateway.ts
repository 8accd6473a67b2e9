import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as l1 from '../../imports/networking.istio.io';
import { ErrorSource, fail, quote } from '../core/errors';
import { validateDnsLabel, validateDnsSubdomain, validateHostname } from '../core/names';
import { MeshResource, MeshResourceProps } from '../core/resource';
import { Protocol } from '../service/protocol';
import { ServicePort } from '../service/service-port';
import { validateLabels } from '../core/labels';

/** How a server of an Istio {@link IstioGateway} handles TLS. */
export enum GatewayTlsMode {
  /** Terminate TLS with the server certificate in `credentialName`. */
  SIMPLE = 'SIMPLE',
  /** Terminate TLS and require a client certificate signed by the CA in `credentialName`. */
  MUTUAL = 'MUTUAL',
  /** Forward the TLS stream untouched, routed by SNI. */
  PASSTHROUGH = 'PASSTHROUGH',
  /** Istio mutual TLS with the gateway's workload certificate (mesh-internal clients, e.g. egress gateways). */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
}

/** TLS protocol versions for a gateway server. */
export enum TlsProtocolVersion {
  AUTO = 'TLS_AUTO',
  V1_0 = 'TLSV1_0',
  V1_1 = 'TLSV1_1',
  V1_2 = 'TLSV1_2',
  V1_3 = 'TLSV1_3',
}

const VERSION_ORDER = [TlsProtocolVersion.V1_0, TlsProtocolVersion.V1_1, TlsProtocolVersion.V1_2, TlsProtocolVersion.V1_3];

/** TLS settings of a gateway server. */
export interface GatewayServerTls {
  readonly mode: GatewayTlsMode;
  /**
   * The Kubernetes Secret (in the gateway workload's namespace) with the server certificate
   * (`tls.crt`/`tls.key`) and, for MUTUAL, the client CA (`ca.crt`, or a `<name>-cacert` Secret).
   * Required for SIMPLE and MUTUAL.
   * @default - none
   */
  readonly credentialName?: string;
  /** @default - Envoy's default (TLS 1.2) */
  readonly minProtocolVersion?: TlsProtocolVersion;
  /** @default - Envoy's default (TLS 1.3) */
  readonly maxProtocolVersion?: TlsProtocolVersion;
  /**
   * For MUTUAL: the client certificate SANs to accept.
   * @default - any certificate signed by the CA
   */
  readonly subjectAltNames?: string[];
}

/** A server (listener) of an Istio {@link IstioGateway}. */
export interface GatewayServer {
  /**
   * The port the gateway listens on; its protocol is the server protocol (HTTP, HTTPS, HTTP2,
   * GRPC, TCP, TLS or MONGO), its name the server port name.
   */
  readonly port: ServicePort;
  /**
   * The hosts exposed by this server, `[namespace/]host` with `*` and `*.example.com` allowed;
   * VirtualServices bound to the gateway must use one of them (IST0132).
   */
  readonly hosts: string[];
  /** @default - plain text (required for HTTPS and TLS ports) */
  readonly tls?: GatewayServerTls;
  /**
   * Answer plain HTTP requests with a 301 to HTTPS (HTTP ports only).
   * @default false
   */
  readonly httpsRedirect?: boolean;
  /**
   * A name for the server, shown in Envoy's stats.
   * @default - unnamed
   */
  readonly name?: string;
}

/** Props of an {@link IstioGateway}. */
export interface IstioGatewayProps extends MeshResourceProps {
  /**
   * The labels of the gateway pods that apply this configuration.
   * @default { istio: 'ingressgateway' }
   */
  readonly selector?: Record<string, string>;
  /** @default - none; add with addServer() */
  readonly servers?: GatewayServer[];
}

/** The pod labels of Istio's default ingress gateway. */
export const ISTIO_INGRESS_GATEWAY_SELECTOR: Readonly<Record<string, string>> = { istio: 'ingressgateway' };
/** The pod labels of Istio's default egress gateway. */
export const ISTIO_EGRESS_GATEWAY_SELECTOR: Readonly<Record<string, string>> = { istio: 'egressgateway' };

const GATEWAY_PROTOCOLS = [Protocol.HTTP, Protocol.HTTPS, Protocol.HTTP2, Protocol.GRPC, Protocol.TCP, Protocol.TLS, Protocol.MONGO];
const NAMESPACE_PART = /^(\*|\.|[a-z0-9]([-a-z0-9]*[a-z0-9])?)$/;

/**
 * Checks an Istio gateway or sidecar host: `[namespace/]dnsName`, where namespace is `*`, `.` or
 * a namespace name and dnsName is `*`, `*.example.com` or a DNS name.
 */
export function validateNamespacedHost(source: ErrorSource, prop: string, value: string, options: { requireNamespace?: boolean } = {}): string {
  const slash = typeof value === 'string' ? value.indexOf('/') : -1;
  if (slash < 0 && options.requireNamespace) {
    fail(source, prop, `must have the form <namespace>/<host>, got ${quote(value)}`, `prefix the host with a namespace, e.g. ${quote(`./${value}`)} or ${quote(`*/${value}`)}`);
  }
  const ns = slash >= 0 ? value.slice(0, slash) : undefined;
  const host = slash >= 0 ? value.slice(slash + 1) : value;
  if (ns !== undefined && (ns.length > 63 || !NAMESPACE_PART.test(ns))) {
    fail(source, prop, `has an invalid namespace part ${quote(ns)} in ${quote(value)}`, "use '*', '.' or a namespace name before the '/'");
  }
  validateHostname(source, prop, host, { wildcard: true });
  return value;
}

/**
 * An Istio `Gateway` (networking.istio.io/v1): the ports, protocols, hosts and TLS settings of an
 * ingress or egress gateway deployment, chosen by pod labels.
 *
 * @example
 * new IstioGateway(chart, 'bookinfo-gateway', {
 *   servers: [{ port: ServicePort.http(8080), hosts: ['*'] }],
 * });
 */
export class IstioGateway extends MeshResource {
  /** The pod labels of Istio's default ingress gateway (a copy of `ISTIO_INGRESS_GATEWAY_SELECTOR`). */
  public static readonly INGRESS_GATEWAY_SELECTOR: Record<string, string> = { ...ISTIO_INGRESS_GATEWAY_SELECTOR };
  /** The pod labels of Istio's default egress gateway (a copy of `ISTIO_EGRESS_GATEWAY_SELECTOR`). */
  public static readonly EGRESS_GATEWAY_SELECTOR: Record<string, string> = { ...ISTIO_EGRESS_GATEWAY_SELECTOR };
  public readonly apiObject: ApiObject;
  /** The gateway pod labels this configuration applies to. */
  public readonly selector: Record<string, string>;
  private readonly _servers: GatewayServer[] = [];

  public constructor(scope: Construct, id: string, props: IstioGatewayProps = {}) {
    super(scope, id, props);
    const selector = props.selector ?? ISTIO_INGRESS_GATEWAY_SELECTOR;
    if (Object.keys(selector).length === 0) fail(this, 'selector', 'must not be empty', "pass the gateway pod labels, e.g. { istio: 'ingressgateway' }");
    for (const [k, v] of Object.entries(selector)) {
      if (v.includes('*')) fail(this, `selector.${k}`, `must not contain a wildcard, got ${quote(v)}`, 'use the exact label value');
    }
    this.selector = validateLabels(this, 'selector', selector)!;
    for (const s of props.servers ?? []) this.addServer(s);
    this.apiObject = new l1.Gateway(this, 'Resource', {
      metadata: this.metadata(props),
      spec: Lazy.any({ produce: () => this._toKube() }) as l1.GatewaySpec,
    });
    this.node.addValidation({ validate: () => (this._servers.length ? [] : [`${this.node.path}: servers must list at least one server. Fix: call addServer()`]) });
  }

  /** Adds a server. Port names must be unique across servers, and one port number carries one protocol. */
  public addServer(server: GatewayServer): void {
    const prop = `servers[${this._servers.length}]`;
    validateServer(this, prop, server);
    for (const other of this._servers) {
      if (other.port.name === server.port.name) {
        fail(this, `${prop}.port.name`, `repeats the port name ${quote(server.port.name)} (Istio requires unique port names across a gateway's servers)`, "give each server's port its own name, e.g. 'https-shop' and 'https-admin'");
      }
      if (other.port.port === server.port.port && other.port.protocol !== server.port.protocol) {
        fail(this, `${prop}.port`, `${server.port.port} is already served as ${other.port.protocol.toUpperCase()}, not ${server.port.protocol.toUpperCase()}`, 'use one protocol per port number');
      }
      if (server.name !== undefined && other.name === server.name) fail(this, `${prop}.name`, `repeats the server name ${quote(server.name)}`, 'give each server a unique name');
    }
    this._servers.push({ ...server, hosts: [...server.hosts] });
  }

  /** The servers (a copy). */
  public get servers(): GatewayServer[] {
    return [...this._servers];
  }

  /** All hosts of all servers, without duplicates, in order. */
  public get hosts(): string[] {
    return [...new Set(this._servers.flatMap((s) => s.hosts))];
  }

  /** @internal */
  public _toKube(): l1.GatewaySpec {
    return {
      selector: this.selector,
      servers: this._servers.map((s) => ({
        name: s.name,
        port: { number: s.port.port, name: s.port.name, protocol: s.port.protocol.toUpperCase() },
        hosts: s.hosts,
        tls: s.tls || s.httpsRedirect ? {
          httpsRedirect: s.httpsRedirect || undefined,
          mode: s.tls?.mode,
          credentialName: s.tls?.credentialName,
          minProtocolVersion: s.tls?.minProtocolVersion,
          maxProtocolVersion: s.tls?.maxProtocolVersion,
          subjectAltNames: s.tls?.subjectAltNames?.length ? s.tls.subjectAltNames : undefined,
        } : undefined,
      })),
    } as l1.GatewaySpec;
  }
}

function validateServer(scope: Construct, prop: string, s: GatewayServer): void {
  if (!(s.port instanceof ServicePort)) fail(scope, `${prop}.port`, `must be a ServicePort, got ${quote(s.port)}`, 'use ServicePort.http(80), ServicePort.https(443), ...');
  const protocol = s.port.protocol;
  if (!GATEWAY_PROTOCOLS.includes(protocol)) {
    fail(scope, `${prop}.port`, `has protocol ${protocol}, which an Istio gateway server cannot serve`, `use one of ${GATEWAY_PROTOCOLS.join(', ')}`);
  }
  if (!Array.isArray(s.hosts) || s.hosts.length === 0) fail(scope, `${prop}.hosts`, 'must list at least one host', "pass e.g. ['bookinfo.example.com'] or ['*']");
  s.hosts.forEach((h, i) => validateNamespacedHost(scope, `${prop}.hosts[${i}]`, h));
  if (s.name !== undefined) validateDnsLabel(scope, `${prop}.name`, s.name);
  const secure = protocol === Protocol.HTTPS || protocol === Protocol.TLS;
  if (secure && !s.tls) fail(scope, `${prop}.tls`, `is required for a ${protocol.toUpperCase()} port`, 'pass tls: { mode: GatewayTlsMode.SIMPLE, credentialName: ... } (or PASSTHROUGH)');
  if (s.httpsRedirect && protocol !== Protocol.HTTP) fail(scope, `${prop}.httpsRedirect`, `only applies to HTTP ports, got ${protocol.toUpperCase()}`, 'set it on the plain-HTTP server');
  if (s.tls) validateServerTls(scope, `${prop}.tls`, s.tls, protocol, secure);
}

function validateServerTls(scope: Construct, prop: string, tls: GatewayServerTls, protocol: Protocol, secure: boolean): void {
  if (!Object.values(GatewayTlsMode).includes(tls.mode)) fail(scope, `${prop}.mode`, `is not a TLS mode, got ${quote(tls.mode)}`, 'use GatewayTlsMode.SIMPLE, MUTUAL, PASSTHROUGH or ISTIO_MUTUAL');
  if (!secure) fail(scope, `${prop}`, `is set on a ${protocol.toUpperCase()} port, but TLS needs an HTTPS or TLS port`, 'use ServicePort.https(...) or ServicePort.tls(...), or use httpsRedirect on the HTTP server');
  const needsCredential = tls.mode === GatewayTlsMode.SIMPLE || tls.mode === GatewayTlsMode.MUTUAL;
  if (needsCredential && !tls.credentialName) {
    fail(scope, `${prop}.credentialName`, `is required for TLS mode ${tls.mode}`, 'pass the name of the Secret holding tls.crt and tls.key (and ca.crt for MUTUAL)');
  }
  if (!needsCredential && tls.credentialName !== undefined) {
    fail(scope, `${prop}.credentialName`, `is not used with TLS mode ${tls.mode}, got ${quote(tls.credentialName)}`, 'remove it, or use SIMPLE or MUTUAL');
  }
  if (tls.credentialName !== undefined) validateDnsSubdomain(scope, `${prop}.credentialName`, tls.credentialName);
  if (tls.subjectAltNames?.length && tls.mode !== GatewayTlsMode.MUTUAL) {
    fail(scope, `${prop}.subjectAltNames`, `only apply to MUTUAL TLS, got mode ${tls.mode}`, 'remove them or use GatewayTlsMode.MUTUAL');
  }
  for (const key of ['minProtocolVersion', 'maxProtocolVersion'] as const) {
    const v = tls[key];
    if (v !== undefined && !Object.values(TlsProtocolVersion).includes(v)) fail(scope, `${prop}.${key}`, `is not a TLS version, got ${quote(v)}`, 'use TlsProtocolVersion.V1_2, ...');
  }
  const lo = tls.minProtocolVersion ? VERSION_ORDER.indexOf(tls.minProtocolVersion) : -1;
  const hi = tls.maxProtocolVersion ? VERSION_ORDER.indexOf(tls.maxProtocolVersion) : -1;
  if (lo >= 0 && hi >= 0 && lo > hi) {
    fail(scope, `${prop}.minProtocolVersion`, `${tls.minProtocolVersion} is above maxProtocolVersion ${tls.maxProtocolVersion}`, 'lower the minimum or raise the maximum');
  }
}
