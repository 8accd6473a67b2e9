import { Construct } from 'constructs';
import { fail, quote } from '../core/errors';
import { chartNamespace, Mesh, meshOf } from '../core/mesh';
import { validateDnsLabel, validateDnsSubdomain, validateHostname } from '../core/names';
import { DestinationRule } from '../istio/destination-rule';
import { ISTIO_EGRESS_GATEWAY_SELECTOR, IstioGateway } from '../istio/gateway';
import { ServiceEntry, ServiceEntryEndpoint, ServiceEntryLocation, ServiceEntryResolution } from '../istio/service-entry';
import { VirtualService } from '../istio/virtual-service';
import { Protocol } from '../service/protocol';
import { ServicePort } from '../service/service-port';
import { LoadBalancer } from '../traffic/load-balancer';
import { Match } from '../traffic/match';
import type { ClientTls } from '../security/client-tls';

/** TLS origination: the application calls plain HTTP, the sidecar upgrades the connection to TLS. */
export interface TlsOriginationOptions {
  /** The plain-HTTP port the application calls, e.g. 80. A port of the service with protocol HTTP. */
  readonly fromPort: number;
  /** The TLS port of the external host, e.g. 443. A port of the service with protocol HTTPS or TLS. */
  readonly toPort: number;
  /**
   * The client TLS settings (CA, SNI, client certificate).
   * @default - SIMPLE TLS verified against the proxy's system CA bundle (`tls: { mode: SIMPLE }`)
   */
  readonly tls?: ClientTls;
  /**
   * The name of the VirtualService that sends `fromPort` to `toPort`.
   * @default `rewrite-port-for-<name>`
   */
  readonly virtualServiceName?: string;
}

/** Routing of an external service's HTTP traffic through an Istio egress gateway. */
export interface EgressGatewayOptions {
  /**
   * The HTTP port of the service to route through the gateway.
   * @default - the service's only HTTP port
   */
  readonly port?: number;
  /**
   * The name of the Istio Gateway resource.
   * @default `<name>-egressgateway`
   */
  readonly gatewayName?: string;
  /**
   * The labels of the egress gateway pods.
   * @default { istio: 'egressgateway' }
   */
  readonly selector?: Record<string, string>;
  /**
   * The Service of the egress gateway pods.
   * @default 'istio-egressgateway.istio-system.svc.cluster.local'
   */
  readonly gatewayHost?: string;
  /**
   * The DestinationRule subset (of the gateway host) used for this service.
   * @default - the service name
   */
  readonly subset?: string;
  /** @default `egressgateway-for-<name>` */
  readonly destinationRuleName?: string;
  /** @default `direct-<name>-through-egress-gateway` */
  readonly virtualServiceName?: string;
}

/** Props of an {@link ExternalService}. */
export interface ExternalServiceProps {
  /**
   * The ServiceEntry name; the other resources are named after it.
   * @default - the construct id
   */
  readonly name?: string;
  /** @default - the chart's namespace, or `default` */
  readonly namespace?: string;
  /** The external hosts, e.g. `api.example.com`, or `*.example.com` (wildcards need resolution NONE). */
  readonly hosts: string[];
  /** The ports, named by protocol: `ServicePort.http(80)`, `ServicePort.https(443)`, `ServicePort.tcp(5432)`. */
  readonly ports: ServicePort[];
  /**
   * @default - DNS for named hosts, NONE when a host is a wildcard
   */
  readonly resolution?: ServiceEntryResolution;
  /** @default - none */
  readonly addresses?: string[];
  /** @default - none (the hosts are resolved) */
  readonly endpoints?: ServiceEntryEndpoint[];
  /** @default - all namespaces */
  readonly exportTo?: string[];
  /**
   * How the sidecars balance across the external endpoints (renders a DestinationRule).
   * @default - Istio's default
   */
  readonly loadBalancer?: LoadBalancer;
  /**
   * The name of the DestinationRule (made for `loadBalancer` or `tlsOrigination`).
   * @default `originate-tls-for-<name>` with TLS origination, else `<name>`
   */
  readonly destinationRuleName?: string;
  /** @default - no TLS origination */
  readonly tlsOrigination?: TlsOriginationOptions;
  /** @default - sidecars call the service directly */
  readonly egressGateway?: EgressGatewayOptions;
}

/** The Service of Istio's default egress gateway. */
export const ISTIO_EGRESS_GATEWAY_HOST = 'istio-egressgateway.istio-system.svc.cluster.local';

/**
 * A service outside the mesh that workloads may call (Istio): a `ServiceEntry` with
 * `location: MESH_EXTERNAL`, plus optionally TLS origination (a VirtualService that moves the
 * plain-HTTP port to the TLS port and a DestinationRule that originates TLS there) and routing
 * through an egress gateway (a Gateway, a DestinationRule subset of the gateway host and a
 * VirtualService for sidecars and the gateway).
 *
 * The Gateway API has no standard resource for external hosts, so other meshes get a synth-time
 * error.
 *
 * @example
 * new ExternalService(chart, 'googleapis', {
 *   hosts: ['www.googleapis.com'],
 *   ports: [ServicePort.http(80), ServicePort.https(443)],
 *   tlsOrigination: { fromPort: 80, toPort: 443 },
 * });
 */
export class ExternalService extends Construct {
  /** The Service of Istio's default egress gateway (`ISTIO_EGRESS_GATEWAY_HOST`). */
  public static readonly ISTIO_EGRESS_GATEWAY_HOST = ISTIO_EGRESS_GATEWAY_HOST;
  public readonly name: string;
  public readonly namespace: string;
  public readonly hosts: string[];
  public readonly serviceEntry: ServiceEntry;
  /** The DestinationRule, with `loadBalancer` or `tlsOrigination`. */
  public readonly destinationRule?: DestinationRule;
  /** The VirtualService that sends `tlsOrigination.fromPort` to `toPort`. */
  public readonly tlsOriginationRoute?: VirtualService;
  /** The Istio Gateway on the egress gateway pods, with `egressGateway`. */
  public readonly egressGateway?: IstioGateway;
  /** The DestinationRule of the egress gateway host, with `egressGateway`. */
  public readonly egressGatewayRule?: DestinationRule;
  /** The VirtualService that sends sidecar traffic to the egress gateway and on to the host. */
  public readonly egressGatewayRoute?: VirtualService;
  /** The namespaces the resources are exported to (all when undefined). */
  public readonly exportTo?: string[];

  public constructor(scope: Construct, id: string, props: ExternalServiceProps) {
    super(scope, id);
    const mesh = meshOf(this);
    if (mesh !== Mesh.ISTIO) {
      fail(this, 'hosts', `cannot be rendered for ${mesh === Mesh.GATEWAY_API ? 'the Gateway API' : mesh}: an external service is an Istio ServiceEntry, and the Gateway API has no standard resource for hosts outside the cluster`,
        `render this chart for Istio, or give the host an ExternalName Service${mesh === Mesh.LINKERD ? " (Linkerd's EgressNetwork is not generated by this library)" : ''}`);
    }
    this.name = validateDnsSubdomain(this, 'name', props.name ?? id);
    this.namespace = validateDnsLabel(this, 'namespace', props.namespace ?? chartNamespace(this));
    const hosts = props.hosts ?? [];
    const wildcard = hosts.some((h) => h.startsWith('*'));
    this.serviceEntry = new ServiceEntry(this, 'ServiceEntry', {
      name: this.name,
      namespace: this.namespace,
      hosts,
      ports: props.ports,
      addresses: props.addresses,
      location: ServiceEntryLocation.MESH_EXTERNAL,
      resolution: props.resolution ?? (wildcard ? ServiceEntryResolution.NONE : ServiceEntryResolution.DNS),
      endpoints: props.endpoints,
      exportTo: props.exportTo,
    });
    this.hosts = this.serviceEntry.hosts;
    this.exportTo = props.exportTo ? [...props.exportTo] : undefined;

    if (props.loadBalancer !== undefined && !(props.loadBalancer instanceof LoadBalancer)) {
      fail(this, 'loadBalancer', `must be a LoadBalancer, got ${quote(props.loadBalancer)}`, 'use LoadBalancer.ROUND_ROBIN, ...');
    }
    const origination = props.tlsOrigination;
    if (origination && props.egressGateway) {
      fail(this, 'egressGateway', 'cannot be combined with tlsOrigination: originating TLS at the egress gateway needs ISTIO_MUTUAL to the gateway, which this construct does not generate',
        'choose one, or write the resources with the IstioGateway, VirtualService and DestinationRule L2s');
    }
    if (origination) this.tlsOriginationRoute = this.originateTls(origination);
    if (origination || props.loadBalancer) {
      const ruleName = validateDnsSubdomain(this, 'destinationRuleName', props.destinationRuleName ?? (origination ? `originate-tls-for-${this.name}` : this.name));
      this.destinationRule = new DestinationRule(this, 'DestinationRule', {
        name: ruleName,
        namespace: this.namespace,
        host: this.singleHost(origination ? 'tlsOrigination' : 'loadBalancer'),
        trafficPolicy: props.loadBalancer ? { loadBalancer: props.loadBalancer } : undefined,
        exportTo: props.exportTo,
      });
      if (origination) this.destinationRule.addPortLevelSettings({ port: origination.toPort, tls: origination.tls, originateTls: origination.tls ? undefined : true });
    } else if (props.destinationRuleName !== undefined) {
      fail(this, 'destinationRuleName', `is set (${quote(props.destinationRuleName)}) but no DestinationRule is made`, 'remove it, or set loadBalancer or tlsOrigination');
    }
    if (props.egressGateway) {
      const r = this.throughEgressGateway(props.egressGateway);
      this.egressGateway = r.gateway;
      this.egressGatewayRule = r.rule;
      this.egressGatewayRoute = r.route;
    }
  }

  /** The service's ports (a copy). */
  public get ports(): ServicePort[] {
    return [...this.serviceEntry.ports];
  }

  /** The Sidecar egress entries (`<namespace>/<host>`) that let a namespace reach this service. */
  public get sidecarHosts(): string[] {
    return this.hosts.map((h) => `${this.namespace}/${h}`);
  }

  private singleHost(prop: string): string {
    if (this.hosts.length !== 1 || this.hosts[0].startsWith('*')) {
      fail(this, prop, `needs exactly one named host, got ${quote(this.hosts)}`, 'make one ExternalService per host');
    }
    return this.hosts[0];
  }

  private portOf(prop: string, port: number, protocols: Protocol[]): ServicePort {
    const p = this.serviceEntry.ports.find((q) => q.port === port);
    if (!p) fail(this, prop, `is ${quote(port)}, which the service does not declare (ports: ${this.serviceEntry.ports.map((q) => q.port).join(', ')})`, 'add the port to ports');
    if (!protocols.includes(p.protocol)) {
      fail(this, prop, `is the ${p.protocol.toUpperCase()} port ${port}, but needs protocol ${protocols.map((x) => x.toUpperCase()).join(' or ')}`, `declare it as ${protocols.map((x) => `ServicePort.${x}(${port})`).join(' or ')}`);
    }
    return p;
  }

  private originateTls(o: TlsOriginationOptions): VirtualService {
    const host = this.singleHost('tlsOrigination');
    this.portOf('tlsOrigination.fromPort', o.fromPort, [Protocol.HTTP]);
    this.portOf('tlsOrigination.toPort', o.toPort, [Protocol.HTTPS, Protocol.TLS]);
    return new VirtualService(this, 'TlsOriginationRoute', {
      name: o.virtualServiceName ?? `rewrite-port-for-${this.name}`,
      namespace: this.namespace,
      hosts: [host],
      exportTo: this.exportTo,
      http: [{ matches: [Match.port(o.fromPort)], destinations: [{ host, port: o.toPort }] }],
    });
  }

  private throughEgressGateway(o: EgressGatewayOptions): { gateway: IstioGateway; rule: DestinationRule; route: VirtualService } {
    const host = this.singleHost('egressGateway');
    let port: ServicePort;
    if (o.port !== undefined) {
      port = this.portOf('egressGateway.port', o.port, [Protocol.HTTP]);
    } else {
      const http = this.serviceEntry.ports.filter((p) => p.protocol === Protocol.HTTP);
      if (http.length !== 1) {
        fail(this, 'egressGateway.port', `is needed: the service has ${http.length} HTTP ports (only plain HTTP is routed through the gateway; TLS passthrough needs VirtualService tls routes, which this construct does not generate)`,
          'declare one ServicePort.http(...) port, or pass egressGateway.port');
      }
      port = http[0];
    }
    const gatewayName = validateDnsSubdomain(this, 'egressGateway.gatewayName', o.gatewayName ?? `${this.name}-egressgateway`);
    const gatewayHost = validateHostname(this, 'egressGateway.gatewayHost', o.gatewayHost ?? ISTIO_EGRESS_GATEWAY_HOST);
    const subset = validateDnsLabel(this, 'egressGateway.subset', o.subset ?? this.name);
    const selector = o.selector ?? ISTIO_EGRESS_GATEWAY_SELECTOR;
    const gateway = new IstioGateway(this, 'EgressGateway', {
      name: gatewayName,
      namespace: this.namespace,
      selector,
      servers: [{ port: ServicePort.http(port.port), hosts: [host] }],
    });
    const rule = new DestinationRule(this, 'EgressGatewayRule', {
      name: o.destinationRuleName ?? `egressgateway-for-${this.name}`,
      namespace: this.namespace,
      host: gatewayHost,
      subsets: [{ name: subset, labels: { ...selector } }],
    });
    const route = new VirtualService(this, 'EgressGatewayRoute', {
      name: o.virtualServiceName ?? `direct-${this.name}-through-egress-gateway`,
      namespace: this.namespace,
      hosts: [host],
      gateways: [gatewayName, 'mesh'],
      http: [
        { sourceGateways: ['mesh'], matches: [Match.port(port.port)], destinations: [{ host: gatewayHost, subset, port: port.port }] },
        { sourceGateways: [gatewayName], matches: [Match.port(port.port)], destinations: [{ host, port: port.port }] },
      ],
    });
    return { gateway, rule, route };
  }
}
