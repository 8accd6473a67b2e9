import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { routesWithGatewayApi } from '../core/mesh';
import { MeshService } from '../service/mesh-service';
import { RouteActionKind } from '../traffic/route-action';
import type { ResolvedBackend, ResolvedRoute } from '../traffic/routing-table';
import { AllowGraphCaller, AllowGraphEntry, isAllowGraph } from './allow-graph';
import { describeBehaviour, describeGatewayApiMatch, describeIstioMatch, describeMatches } from './describe';
import { MermaidEdgeStyle, MermaidFlowchart, mermaidId, MermaidNodeShape } from './mermaid';

type Json = Record<string, any>;

const CLASSES: Record<string, string> = {
  service: 'fill:#e8f0fe,stroke:#4a6fa5,color:#1a1a1a',
  version: 'fill:#f6f8fa,stroke:#6e7781,color:#1a1a1a',
  gateway: 'fill:#fff4e5,stroke:#c77700,color:#1a1a1a',
  external: 'fill:#fdeef0,stroke:#b4232c,color:#1a1a1a',
  caller: 'fill:#eefbf0,stroke:#2d7d46,color:#1a1a1a',
};

/**
 * The traffic of one chart as a Mermaid flowchart: each MeshService with its versions and its
 * routing table (matches, weights, faults, timeouts), ingress gateways and their routes, external
 * hosts (ServiceEntries, TLS origination) and the allowed callers of each service.
 *
 * Services and routes are read from the constructs; gateways and external hosts from the chart's
 * manifests, so hand-written L2s show up too. The text is deterministic and renders on GitHub.
 */
export class TrafficDiagram {
  /** The diagram of a chart. */
  public static of(chart: Chart): TrafficDiagram {
    return new TrafficDiagram(chart);
  }

  /** The chart drawn. */
  public readonly chart: Chart;
  private readonly flow = new MermaidFlowchart('LR');
  private readonly services: MeshService[];
  private readonly manifests: Json[];

  private constructor(chart: Chart) {
    this.chart = chart;
    const own = (c: IConstruct) => Chart.of(c) === chart;
    this.services = chart.node.findAll().filter(MeshService.isMeshService).filter(own);
    this.manifests = chart.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c)).filter(own).map((o) => o.toJson());
    for (const [name, style] of Object.entries(CLASSES)) this.flow.addClass(name, style);
    this.flow.addComment(`traffic of chart ${chart.node.id}`);
    for (const s of this.services) this.drawService(s);
    for (const s of this.services) this.drawRoutes(s);
    this.drawIstioGateways();
    this.drawGatewayApiGateways();
    this.drawExternalHosts();
    for (const graph of chart.node.findAll().filter(own).filter(isAllowGraph)) {
      for (const rule of graph.rules) this.drawAllow(rule);
    }
  }

  /** True when the chart has no services, gateways or external hosts to draw. */
  public get isEmpty(): boolean {
    return this.flow.isEmpty;
  }

  /** The Mermaid text (`flowchart LR ...`). */
  public toMermaid(): string {
    return this.flow.render();
  }

  private get namespace(): string {
    return this.chart.namespace ?? 'default';
  }

  private serviceId(namespace: string, name: string): string {
    return mermaidId('svc', namespace, name);
  }

  private groupId(namespace: string, name: string): string {
    return mermaidId('grp', namespace, name);
  }

  private title(namespace: string, name: string): string {
    return namespace === this.namespace ? name : `${name}.${namespace}`;
  }

  private drawService(s: MeshService): void {
    const group = this.flow.addGroup(this.groupId(s.namespace, s.serviceName), this.title(s.namespace, s.serviceName));
    const ports = s.ports.map((p) => `${p.name} :${p.port}`).join(', ');
    const policy = describePolicy(s);
    this.flow.addNode(this.serviceId(s.namespace, s.serviceName), [s.serviceName, ports, ...policy].join('\n'), { shape: MermaidNodeShape.STADIUM, group, cssClass: 'service' });
    const gamma = routesWithGatewayApi(s.mesh);
    for (const v of s.versions) {
      const labels = Object.entries(v.labels).map(([k, val]) => `${k}=${val}`).join(', ');
      const label = gamma ? `${v.name}\nService ${v.serviceName}` : `${v.name}\n${labels}`;
      this.flow.addNode(this.versionId(s, v.name), label, { group, cssClass: 'version' });
    }
    for (const c of s.clusterSubsets) this.flow.addNode(this.versionId(s, c.name), `${c.name}\n${Object.entries(c.labels).map(([k, val]) => `${k}=${val}`).join(', ')}`, { group, cssClass: 'version' });
  }

  private versionId(s: MeshService, version: string): string {
    return mermaidId('ver', s.namespace, s.serviceName, version);
  }

  /** The node of another service (a placeholder when it is not declared in this chart). */
  private otherServiceNode(namespace: string, name: string): string {
    const id = this.serviceId(namespace, name);
    if (!this.flow.hasNode(id)) this.flow.addNode(id, this.title(namespace, name), { shape: MermaidNodeShape.STADIUM, cssClass: 'service' });
    return id;
  }

  private backendNode(b: ResolvedBackend): string {
    if (b.host) return this.externalNode(b.host);
    const target = b.service!;
    if (b.version && this.services.includes(target)) return this.versionId(target, b.version.name);
    if (b.clusterSubset) return this.versionId(target, b.clusterSubset.name); // only the route's own service has cluster subsets
    const id = this.otherServiceNode(target.namespace, target.serviceName);
    if (!b.version) return id;
    const vid = this.versionId(target, b.version.name);
    if (!this.flow.hasNode(vid)) this.flow.addNode(vid, `${this.title(target.namespace, target.serviceName)} ${b.version.name}`, { cssClass: 'version' });
    return vid;
  }

  private drawRoutes(s: MeshService): void {
    const from = this.serviceId(s.namespace, s.serviceName);
    if (s.routing.isEmpty) {
      for (const v of s.versions) this.flow.addEdge(from, this.versionId(s, v.name), { style: MermaidEdgeStyle.DOTTED });
      return;
    }
    // a delegate rendered here holds the default route, drawn as the service's own
    const delegation = s._catchAllDelegation?.rendersDelegate ? undefined : s._catchAllDelegation;
    const routes = delegation ? s.routing.orderedMatched() : s.routing.ordered();
    routes.forEach((r, i) => this.drawRoute(s, from, r, `${i + 1}. `, !delegation && r === routes[routes.length - 1]));
    if (delegation) {
      // the other requests go to the routes of a VirtualService a controller generates (Flagger's)
      const target = this.flow.addNode(mermaidId('delegate', s.namespace, delegation.delegateName), `VirtualService ${delegation.delegateName} (delegate)`, { shape: MermaidNodeShape.FLAG });
      this.flow.addEdge(from, target, { label: `${routes.length + 1}. ${delegation.routeName}: other requests` });
    }
  }

  private drawRoute(s: MeshService, from: string, r: ResolvedRoute, prefix: string, last: boolean): void {
    const implicit = last && r !== s.routing.explicitDefault && r.matches.length === 0;
    const condition = r.matches.length ? describeMatches(r.matches) : implicit ? 'other requests' : 'default';
    const extras = describeBehaviour(s.routing.behaviourOf(r));
    const name = r.name ? `${r.name}: ` : '';
    const text = (weight?: string) => [`${prefix}${name}${condition}${weight ? ` · ${weight}` : ''}`, ...extras].join('\n');
    switch (r.action.kind) {
      case RouteActionKind.REDIRECT: {
        const target = this.flow.addNode(mermaidId('redirect', s.namespace, s.serviceName, prefix), `redirect ${describeRedirect(r.action.redirectOptions ?? {})}`, { shape: MermaidNodeShape.FLAG });
        this.flow.addEdge(from, target, { label: text() });
        return;
      }
      case RouteActionKind.DIRECT_RESPONSE: {
        const target = this.flow.addNode(mermaidId('respond', s.namespace, s.serviceName, prefix), `respond ${r.action.status}`, { shape: MermaidNodeShape.FLAG });
        this.flow.addEdge(from, target, { label: text() });
        return;
      }
      default:
        break;
    }
    for (const b of r.backends) {
      if (implicit && !b.version && !b.host && b.service === s && s.versions.length) {
        // Unmatched requests reach the Service as a whole: any version's pods.
        for (const v of s.versions) this.flow.addEdge(from, this.versionId(s, v.name), { label: text(), style: MermaidEdgeStyle.DOTTED });
        continue;
      }
      const weight = r.backends.length > 1 ? `${b.weight}%` : undefined;
      this.flow.addEdge(from, this.backendNode(b), { label: text(weight) });
    }
    if (r.mirror) this.flow.addEdge(from, this.backendNode(r.mirror.backend), { label: `${prefix}mirror ${r.mirror.percent}%`, style: MermaidEdgeStyle.DOTTED });
  }

  /** The MeshService (or per-version Service) a manifest host or Service name stands for. */
  private findService(nameOrHost: string, namespace: string): { service: MeshService; version?: string } | undefined {
    const short = nameOrHost.split('.');
    const name = short[0];
    const ns = short.length > 1 && short[1] !== 'svc' ? short[1] : namespace;
    for (const s of this.services) {
      if (s.namespace !== ns) continue;
      if (s.serviceName === name) return { service: s };
      const v = s.versions.find((x) => x.serviceName === name);
      if (v) return { service: s, version: v.name };
    }
    return undefined;
  }

  private destinationNode(host: string, namespace: string, subset?: string): string {
    const found = this.findService(host, namespace);
    if (found) {
      const version = subset ?? found.version;
      return version && found.service.versions.some((v) => v.name === version) ? this.versionId(found.service, version) : this.serviceId(found.service.namespace, found.service.serviceName);
    }
    const external = this.manifests.some((m) => m.kind === 'ServiceEntry' && (m.spec?.hosts ?? []).includes(host)) || host.split('.').length > 1 && !host.includes('.svc.');
    return external ? this.externalNode(host) : this.otherServiceNode(namespace, host);
  }

  private externalNode(host: string, port?: number): string {
    const id = mermaidId('ext', host, port ? String(port) : '');
    if (!this.flow.hasNode(id)) {
      const tls = port ? this.originatedTls(host, port) : undefined;
      this.flow.addNode(id, port ? `${host} :${port}${tls ? `\nTLS ${tls}` : ''}` : this.externalLabel(host), { shape: MermaidNodeShape.PARALLELOGRAM, cssClass: 'external' });
    }
    return id;
  }

  private externalLabel(host: string): string {
    const entries = this.manifests.filter((m) => m.kind === 'ServiceEntry' && (m.spec?.hosts ?? []).includes(host));
    const ports = entries.flatMap((m) => (m.spec?.ports ?? []).map((p: Json) => `${p.protocol ?? ''} :${p.number}`.trim()));
    return entries.length ? `${host}\nServiceEntry ${entries.map((m) => m.metadata.name).join(', ')}${ports.length ? `: ${ports.join(', ')}` : ''}` : host;
  }

  /** The TLS mode a DestinationRule of the chart originates towards host:port. */
  private originatedTls(host: string, port: number): string | undefined {
    for (const dr of this.manifests.filter((m) => m.kind === 'DestinationRule' && m.spec?.host === host)) {
      const pls = (dr.spec?.trafficPolicy?.portLevelSettings ?? []).find((p: Json) => p.port?.number === port);
      const mode = pls?.tls?.mode ?? dr.spec?.trafficPolicy?.tls?.mode;
      if (mode) return `${mode} (DestinationRule ${dr.metadata.name})`;
    }
    return undefined;
  }

  private drawIstioGateways(): void {
    for (const gw of this.manifests.filter((m) => m.kind === 'Gateway' && String(m.apiVersion).startsWith('networking.istio.io/'))) {
      const servers = (gw.spec?.servers ?? []).map((s: Json) => `${s.port?.protocol} :${s.port?.number} ${(s.hosts ?? []).join(' ')}`);
      this.gatewayNode(gw.metadata.namespace ?? this.namespace, gw.metadata.name, `Gateway ${gw.metadata.name}\n${servers.join('\n')}`);
    }
    for (const vs of this.manifests.filter((m) => m.kind === 'VirtualService')) {
      const ns = vs.metadata.namespace ?? this.namespace;
      const gateways: string[] = (vs.spec?.gateways ?? []).filter((g: string) => g !== 'mesh');
      const hosts: string[] = vs.spec?.hosts ?? [];
      const meshHostOfService = hosts.some((h) => this.findService(h, ns));
      if (gateways.length === 0 && meshHostOfService) continue; // a MeshService's own routing table, drawn already
      const sources = gateways.length
        ? gateways.map((g) => { const [gns, gname] = g.includes('/') ? g.split('/') : [ns, g]; return this.gatewayNode(gns, gname, `Gateway ${gname}`); })
        : hosts.map((h) => this.destinationNode(h, ns));
      (vs.spec?.http ?? []).forEach((route: Json, i: number) => {
        const cond = (route.match ?? []).map(describeIstioMatch).join('\nor ') || 'default';
        const fault = route.fault ? `\nfault: ${[route.fault.delay ? `delay ${route.fault.delay.fixedDelay}` : '', route.fault.abort ? `abort ${route.fault.abort.httpStatus}` : ''].filter(Boolean).join(' + ')}` : '';
        for (const d of route.route ?? []) {
          const dest = d.destination ?? {};
          const own = hosts.includes(dest.host) && gateways.length === 0;
          const target = own ? this.externalNode(dest.host, dest.port?.number) : this.destinationNode(String(dest.host), ns, dest.subset);
          const weight = (route.route ?? []).length > 1 && d.weight !== undefined ? ` · ${d.weight}%` : '';
          const port = dest.port?.number ? ` → :${dest.port.number}` : '';
          for (const src of sources) this.flow.addEdge(src, target, { label: `${vs.metadata.name} ${i + 1}. ${cond}${weight}${port}${fault}` });
        }
      });
    }
  }

  private gatewayNode(namespace: string, name: string, label: string): string {
    const id = mermaidId('gw', namespace, name);
    if (!this.flow.hasNode(id)) this.flow.addNode(id, label, { shape: MermaidNodeShape.HEXAGON, cssClass: 'gateway' });
    return id;
  }

  private drawGatewayApiGateways(): void {
    for (const gw of this.manifests.filter((m) => m.kind === 'Gateway' && String(m.apiVersion).startsWith('gateway.networking.k8s.io/'))) {
      const listeners = (gw.spec?.listeners ?? []).map((l: Json) => `${l.protocol} :${l.port}${l.hostname ? ` ${l.hostname}` : ''}`);
      this.gatewayNode(gw.metadata.namespace ?? this.namespace, gw.metadata.name, `Gateway ${gw.metadata.name} (${gw.spec?.gatewayClassName})\n${listeners.join('\n')}`);
    }
    for (const route of this.manifests.filter((m) => m.kind === 'HTTPRoute')) {
      const ns = route.metadata.namespace ?? this.namespace;
      const parents: Json[] = route.spec?.parentRefs ?? [];
      const gatewayParents = parents.filter((p) => (p.kind ?? 'Gateway') === 'Gateway');
      const serviceParents = parents.filter((p) => p.kind === 'Service' && !this.findService(p.name, p.namespace ?? ns));
      const sources = [
        ...gatewayParents.map((p) => this.gatewayNode(p.namespace ?? ns, p.name, `Gateway ${p.name}`)),
        ...serviceParents.map((p) => this.otherServiceNode(p.namespace ?? ns, p.name)),
      ];
      if (sources.length === 0) continue; // a MeshService's own routes, drawn already
      (route.spec?.rules ?? []).forEach((rule: Json, i: number) => {
        const cond = (rule.matches ?? []).map(describeGatewayApiMatch).join('\nor ') || 'default';
        const backends: Json[] = rule.backendRefs ?? [];
        for (const b of backends) {
          const target = this.destinationNode(String(b.name), b.namespace ?? ns);
          const weight = backends.length > 1 ? ` · ${b.weight ?? 1}` : '';
          for (const src of sources) this.flow.addEdge(src, target, { label: `${route.metadata.name} ${i + 1}. ${cond}${weight}` });
        }
      });
    }
  }

  /** The node of an Istio gateway of the chart whose pods carry these labels. */
  private gatewaySelecting(podLabels: Record<string, string>): string | undefined {
    const gw = this.manifests.find((m) => m.kind === 'Gateway' && String(m.apiVersion).startsWith('networking.istio.io/') && selects(m.spec?.selector, podLabels));
    return gw ? mermaidId('gw', gw.metadata.namespace ?? this.namespace, gw.metadata.name) : undefined;
  }

  private drawExternalHosts(): void {
    for (const se of this.manifests.filter((m) => m.kind === 'ServiceEntry')) {
      for (const host of se.spec?.hosts ?? []) this.externalNode(host);
    }
  }

  private drawAllow(rule: AllowGraphEntry): void {
    const target = rule.target;
    const to = this.services.includes(target) ? this.serviceId(target.namespace, target.serviceName) : this.otherServiceNode(target.namespace, target.serviceName);
    const ports = rule.allPorts === false && rule.ports?.length ? rule.ports.map((p) => `:${p.port}`).join(',') : '';
    const what = [ports, rule.methods?.length ? rule.methods.join(',') : '', rule.paths?.length ? rule.paths.map(String).join(' ') : ''].filter(Boolean).join(' ');
    for (const c of rule.resolve()) {
      this.flow.addEdge(this.callerNode(c), to, { label: `allowed${what ? ` ${what}` : ''}`, style: MermaidEdgeStyle.DOTTED });
    }
  }

  private callerNode(c: AllowGraphCaller): string {
    const gateway = c.podLabels ? this.gatewaySelecting(c.podLabels) : undefined;
    if (gateway) return gateway;
    if (c.service) return this.services.includes(c.service) ? this.serviceId(c.service.namespace, c.service.serviceName) : this.otherServiceNode(c.service.namespace, c.service.serviceName);
    const id = mermaidId('caller', c.kind, c.namespace, c.name);
    const label = c.kind === 'namespace' ? `namespace ${c.name}` : `ServiceAccount ${c.serviceAccount ?? c.name}\nnamespace ${c.namespace}`;
    if (!this.flow.hasNode(id)) this.flow.addNode(id, label, { shape: MermaidNodeShape.ROUNDED, cssClass: 'caller' });
    return id;
  }
}

/** The connection-level settings of a service, in words. */
function describePolicy(s: MeshService): string[] {
  const p = s.trafficPolicy();
  const out: string[] = [];
  if (p.connectionPool || p.outlierDetection || s.serviceAnnotations['balancer.linkerd.io/failure-accrual']) out.push('circuit breaker');
  if (p.loadBalancer) out.push(`load balancer ${p.loadBalancer.algorithm ?? `hash on ${[p.loadBalancer.hash?.source, p.loadBalancer.hash?.name].filter(Boolean).join(' ')}`}`);
  if (p.localityLoadBalancing) out.push('locality failover');
  if (p.tls) out.push(`client TLS ${p.tls.mode}`);
  return out;
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  return !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function describeRedirect(r: { scheme?: string; host?: string; path?: string; port?: number; statusCode?: number }): string {
  const target = `${r.scheme ? `${r.scheme}://` : ''}${r.host ?? ''}${r.port ? `:${r.port}` : ''}${r.path ?? ''}`;
  return `${r.statusCode ?? 301}${target ? ` → ${target}` : ''}`;
}
