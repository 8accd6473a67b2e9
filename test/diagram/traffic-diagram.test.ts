import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration } from 'cdk8s';
import fc from 'fast-check';
import { Mesh, useMesh } from '../../src/core/mesh';
import { MermaidEdgeStyle, MermaidFlowchart, mermaidId, mermaidText, MermaidNodeShape } from '../../src/diagram/mermaid';
import { TrafficDiagram } from '../../src/diagram/traffic-diagram';
import { Diagrams, writeDiagrams } from '../../src/diagram/write';
import { ExternalService } from '../../src/egress/external-service';
import { IngressGateway } from '../../src/ingress/ingress-gateway';
import { CircuitBreakerPolicy } from '../../src/resilience/circuit-breaker-policy';
import { CircuitBreakerPreset } from '../../src/resilience/circuit-breaker-preset';
import { FaultInjection } from '../../src/resilience/fault-injection';
import { RequestPolicy } from '../../src/resilience/request-policy';
import { RetryPolicy } from '../../src/resilience/retry-policy';
import { Caller } from '../../src/security/caller';
import { ClientTls } from '../../src/security/client-tls';
import { ClientTlsPolicy } from '../../src/security/client-tls-policy';
import { ServiceAuthorization } from '../../src/security/service-authorization';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { Destination, RouteTo } from '../../src/traffic/route-action';
import { Match } from '../../src/traffic/match';
import { Mirror } from '../../src/traffic/mirror';
import { createApp as createBookinfo } from '../../examples/bookinfo/main';
import { meshChart, reviewsService } from '../support/charts';

/** Diagrams collected for one parse with the real Mermaid parser at the end. */
const diagrams: Array<{ name: string; text: string }> = [];
function keep(name: string, text: string): string {
  diagrams.push({ name, text });
  return text;
}

function service(chart: Chart, name: string, versions: string[] = ['v1']): MeshService {
  return new MeshService(chart, name, { ports: [ServicePort.http(9080)], versions, serviceAccountName: `bookinfo-${name}` });
}

describe('mermaidText', () => {
  test('escapes quotes, pipes, brackets, angle brackets and #; turns line breaks into <br/>', () => {
    expect(mermaidText('say "hi" | a<b> [x] {y} #1 & `z`\nnext')).toBe('say #quot;hi#quot; #124; a#lt;b#gt; #91;x#93; #123;y#125; #35;1 #amp; #96;z#96;<br/>next');
  });

  test('property: no character Mermaid would interpret survives escaping', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (s) => {
      const out = mermaidText(s).split('<br/>').join('');
      return !/["<>|`[\]{}]/.test(out) && !/#(?!(quot|lt|gt|amp|35|124|96|91|93|123|125);)/.test(out);
    }), { numRuns: 300 });
  });
});

describe('mermaidId', () => {
  test('keeps letters and digits, joins parts, never collides with keywords', () => {
    expect(mermaidId('svc', 'default', 'reviews-v1')).toBe('n_svc__default__reviews_v1');
    expect(mermaidId('end')).toBe('n_end');
    expect(mermaidId('')).toBe('n_node');
  });

  test('property: ids are plain identifiers', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 4 }), (parts) => /^n_[A-Za-z0-9_]+$/.test(mermaidId(...parts))));
  });
});

describe('MermaidFlowchart', () => {
  test('renders nodes, subgraphs, classes and each edge once, in the order added', () => {
    const f = new MermaidFlowchart();
    f.addClass('svc', 'fill:#fff');
    const g = f.addGroup('g1', 'reviews');
    f.addNode('a', 'reviews', { shape: MermaidNodeShape.STADIUM, group: g, cssClass: 'svc' });
    f.addNode('b', 'v1', { group: g });
    f.addNode('gw', 'Gateway "edge"', { shape: MermaidNodeShape.HEXAGON });
    f.addNode('gw', 'ignored');
    f.addEdge('gw', 'a', { label: 'path = /x' });
    f.addEdge('a', 'b', { label: '90%', style: MermaidEdgeStyle.DOTTED });
    f.addEdge('a', 'b', { label: '90%', style: MermaidEdgeStyle.DOTTED });
    f.addEdge('a', 'b', { style: MermaidEdgeStyle.THICK });
    expect(f.render()).toBe([
      'flowchart LR',
      '  classDef svc fill:#fff',
      '  gw{{"Gateway #quot;edge#quot;"}}',
      '  subgraph g1["reviews"]',
      '    direction TB',
      '    a(["reviews"]):::svc',
      '    b["v1"]',
      '  end',
      '  gw -->|"path = /x"| a',
      '  a -.->|"90%"| b',
      '  a ==> b',
      '',
    ].join('\n'));
    keep('flowchart', f.render());
  });
});

describe('TrafficDiagram', () => {
  test('a weighted split shows each version with its weight', () => {
    const chart = meshChart(Mesh.ISTIO, 'default');
    reviewsService(chart).setDefaultRoute(RouteTo.split({ v1: 90, v2: 10 }));
    const text = keep('split', TrafficDiagram.of(chart).toMermaid());
    expect(text).toContain('n_svc__default__reviews -->|"1. default · 90%"| n_ver__default__reviews__v1');
    expect(text).toContain('n_svc__default__reviews -->|"1. default · 10%"| n_ver__default__reviews__v2');
    expect(text).not.toContain('n_ver__default__reviews__v3 ');
    expect(text).toMatchSnapshot();
  });

  test('matches, faults, timeouts and mirrors are written on the edges; unmatched requests reach every version', () => {
    const chart = meshChart(Mesh.ISTIO, 'default');
    const ratings = service(chart, 'ratings', ['v1', 'v2']);
    ratings.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v1'), fault: FaultInjection.delay(Duration.seconds(7)) });
    ratings.addRoute({ matches: [Match.path.prefix('/api'), Match.queryParam('beta').exact('1')], to: RouteTo.version('v2'), timeout: Duration.millis(1500), mirror: Mirror.to(Destination.version('v1'), 25) });
    const text = keep('behaviours', TrafficDiagram.of(chart).toMermaid());
    expect(text).toContain('-->|"1. path ^= /api<br/>or query beta = 1<br/>timeout 1s500ms"| n_ver__default__ratings__v2');
    expect(text).toContain('-.->|"1. mirror 25%"| n_ver__default__ratings__v1');
    expect(text).toContain('-->|"2. header end-user = jason<br/>fault: delay 7s (100%)"| n_ver__default__ratings__v1');
    expect(text).toContain('-.->|"3. other requests"| n_ver__default__ratings__v2');
    ratings.addRoute({ name: 'canary-preview', matches: [Match.header('x-canary').exact('1')], to: RouteTo.version('v2') });
    expect(TrafficDiagram.of(chart).toMermaid()).toContain('-->|"3. canary-preview: header x-canary = 1"| n_ver__default__ratings__v2');
    expect(text).toMatchSnapshot();
  });

  test('a service without routes is balanced over its versions; GAMMA versions show their Services', () => {
    const chart = meshChart(Mesh.GATEWAY_API, 'default');
    reviewsService(chart);
    const text = keep('gamma', TrafficDiagram.of(chart).toMermaid());
    expect(text).toContain('n_ver__default__reviews__v2["v2<br/>Service reviews-v2"]:::version');
    expect(text).toContain('n_svc__default__reviews -.-> n_ver__default__reviews__v2');
  });

  test('routes to another service and redirects', () => {
    const chart = meshChart(Mesh.ISTIO, 'default');
    const legacy = service(chart, 'legacy', []);
    const shop = service(chart, 'shop', []);
    shop.addRoute({ matches: [Match.path.prefix('/old')], to: RouteTo.redirect({ path: '/new' }) });
    shop.setDefaultRoute(RouteTo.service(legacy));
    const text = keep('other-service', TrafficDiagram.of(chart).toMermaid());
    expect(text).toContain('n_redirect__default__shop__1>"redirect 301 → /new"]');
    expect(text).toContain('n_svc__default__shop -->|"2. default"| n_svc__default__legacy');
  });

  test('an Istio ingress gateway routes to productpage', () => {
    const chart = meshChart(Mesh.ISTIO, 'default');
    const productpage = service(chart, 'productpage', []);
    new IngressGateway(chart, 'bookinfo').addRoute({ matches: [Match.path.exact('/productpage'), Match.path.prefix('/static')], to: RouteTo.service(productpage, { port: 9080 }) });
    const text = keep('ingress', TrafficDiagram.of(chart).toMermaid());
    expect(text).toContain('n_gw__default__bookinfo_gateway{{"Gateway bookinfo-gateway<br/>HTTP :80 *"}}:::gateway');
    expect(text).toContain('n_gw__default__bookinfo_gateway -->|"bookinfo 1. path = /productpage<br/>or path = /static<br/>or path ^= /static/ → :9080"| n_svc__default__productpage');
  });

  test('a Gateway API gateway routes to productpage', () => {
    const chart = meshChart(Mesh.GATEWAY_API, 'default');
    const productpage = service(chart, 'productpage', []);
    new IngressGateway(chart, 'bookinfo', { gatewayClassName: 'istio' }).addRoute({ matches: [Match.path.exact('/productpage')], to: RouteTo.service(productpage, { port: 9080 }) });
    const text = keep('gateway-api-ingress', TrafficDiagram.of(chart).toMermaid());
    expect(text).toContain('{{"Gateway bookinfo-gateway (istio)<br/>HTTP :80"}}');
    expect(text).toContain('n_gw__default__bookinfo_gateway -->|"bookinfo 1. path = /productpage"| n_svc__default__productpage');
  });

  test('external hosts with TLS origination', () => {
    const chart = meshChart(Mesh.ISTIO, 'default');
    new ExternalService(chart, 'googleapis', { hosts: ['www.googleapis.com'], ports: [ServicePort.http(80), ServicePort.https(443)], tlsOrigination: { fromPort: 80, toPort: 443 } });
    const text = keep('egress', TrafficDiagram.of(chart).toMermaid());
    expect(text).toContain('[/"www.googleapis.com<br/>ServiceEntry googleapis: HTTP :80, HTTPS :443"/]');
    expect(text).toContain('-->|"rewrite-port-for-googleapis 1. port 80 → :443"| n_ext__www_googleapis_com__443');
    expect(text).toContain('www.googleapis.com :443<br/>TLS SIMPLE (DestinationRule originate-tls-for-googleapis)');
  });

  test('allowed callers come from the allow graph, the ingress gateway caller is the gateway node', () => {
    const chart = meshChart(Mesh.ISTIO, 'default');
    const productpage = service(chart, 'productpage');
    const reviews = service(chart, 'reviews');
    new IngressGateway(chart, 'bookinfo').addRoute({ matches: [Match.path.exact('/productpage')], to: RouteTo.service(productpage, { port: 9080 }) });
    const authz = new ServiceAuthorization(chart, 'authz');
    authz.allow({ from: [Caller.ingressGateway()], to: productpage });
    authz.allow({ from: [productpage], to: reviews });
    authz.allow({ from: [Caller.namespace('monitoring')], to: reviews, name: 'from-monitoring', ports: [9080] });
    const text = keep('allowed', TrafficDiagram.of(chart).toMermaid());
    expect(text).toContain('n_gw__default__bookinfo_gateway -.->|"allowed"| n_svc__default__productpage');
    expect(text).toContain('n_svc__default__productpage -.->|"allowed"| n_svc__default__reviews');
    expect(text).toContain('n_caller__namespace__monitoring__monitoring("namespace monitoring"):::caller');
    expect(text).toContain('n_caller__namespace__monitoring__monitoring -.->|"allowed :9080"| n_svc__default__reviews');
  });

  test('service-wide retries, timeouts, circuit breakers and client TLS are shown', () => {
    const chart = meshChart(Mesh.ISTIO, 'default');
    const ratings = service(chart, 'ratings');
    ratings.setDefaultRoute(RouteTo.version('v1'));
    new RequestPolicy(chart, 'ratings-requests', { service: ratings, retries: new RetryPolicy({ attempts: 3, perTryTimeout: Duration.millis(500) }), timeout: Duration.seconds(2) });
    new CircuitBreakerPolicy(chart, 'ratings-cb', { service: ratings, preset: CircuitBreakerPreset.STANDARD });
    new ClientTlsPolicy(chart, 'ratings-tls', { service: ratings, tls: ClientTls.istioMutual() });
    const text = keep('policies', TrafficDiagram.of(chart).toMermaid());
    expect(text).toContain('n_svc__default__ratings(["ratings<br/>http :9080<br/>circuit breaker<br/>client TLS ISTIO_MUTUAL"]):::service');
    expect(text).toContain('-->|"1. default<br/>timeout 2s<br/>retries 3 × 500ms"| n_ver__default__ratings__v1');
  });

  test('an empty chart draws nothing', () => {
    expect(TrafficDiagram.of(meshChart()).isEmpty).toBe(true);
  });

  test('the same chart gives the same text twice', () => {
    const chart = meshChart(Mesh.ISTIO, 'default');
    reviewsService(chart).setDefaultRoute(RouteTo.split({ v1: 50, v3: 50 }));
    expect(TrafficDiagram.of(chart).toMermaid()).toBe(TrafficDiagram.of(chart).toMermaid());
  });
});

describe('writeDiagrams', () => {
  test('writes <chart>.mmd beside <chart>.k8s.yaml and traffic.md with fenced mermaid blocks', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'diagrams-'));
    const app = new App({ outdir });
    useMesh(app, Mesh.ISTIO);
    const a = new Chart(app, 'reviews-split', { namespace: 'default' });
    reviewsService(a).setDefaultRoute(RouteTo.split({ v1: 80, v2: 20 }));
    new Chart(app, 'empty');
    app.synth();
    const written = writeDiagrams(app, outdir);
    expect(written.mermaidFiles.map((f) => path.basename(f))).toEqual(['reviews-split.mmd']);
    expect(fs.existsSync(path.join(outdir, 'reviews-split.k8s.yaml'))).toBe(true);
    const md = fs.readFileSync(written.markdownFile!, 'utf8');
    expect(md).toContain('## reviews-split\n\nManifests: [reviews-split.k8s.yaml](./reviews-split.k8s.yaml)\n\n```mermaid\nflowchart LR\n');
    expect(md).toContain('"1. default · 80%"');
    expect(md).not.toContain('## empty');
    // the class form (what Python, Java and Go call) writes the same files, to the app's outdir by default
    expect(Diagrams.write(app)).toEqual(written);
    expect(MermaidFlowchart.escapeText('a "b"')).toBe(mermaidText('a "b"'));
    expect(MermaidFlowchart.nodeId('ver', 'default', 'reviews')).toBe(mermaidId('ver', 'default', 'reviews'));
  });

  test('bookinfo: one diagram per chart', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bookinfo-diagrams-'));
    const app = createBookinfo(outdir);
    const written = writeDiagrams(app, outdir);
    expect(written.mermaidFiles.length).toBe(app.charts.length);
    for (const f of written.mermaidFiles) keep(path.basename(f), fs.readFileSync(f, 'utf8'));
    const text = fs.readFileSync(path.join(outdir, 'virtual-service-reviews-jason-v2-v3.mmd'), 'utf8');
    expect(text).toContain('"1. header end-user = jason"| n_ver__default__reviews__v2');
    expect(text).toContain('"2. default"| n_ver__default__reviews__v3');
    expect(text).toMatchSnapshot();
  });
});

describe('Mermaid syntax', () => {
  const probe = spawnSync(process.execPath, [path.join(__dirname, 'validate-mermaid.mjs')], { input: '[]', encoding: 'utf8' });
  const available = probe.status === 0;
  // The parser needs the `mermaid` and `jsdom` packages, which are not dependencies of the
  // library; with them installed (or found through MERMAID_MODULES) this test parses every diagram.
  (available ? test : test.skip)('every diagram above parses with the Mermaid parser', () => {
    const nasty = new MermaidFlowchart();
    nasty.addNode('x', 'quote " pipe | bracket ] brace } hash # angle <b> `tick` end');
    nasty.addEdge('x', 'x', { label: 'label "with" | all [the] {odd} <chars> #' });
    keep('escaping', nasty.render());
    const r = spawnSync(process.execPath, [path.join(__dirname, 'validate-mermaid.mjs')], { input: JSON.stringify(diagrams), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(diagrams.length).toBeGreaterThan(20);
  });
});
