import { Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import {
  CiliumEntity, CiliumNetworkPolicy, LinkerdAccessPolicy, LinkerdAuthorizationPolicy, LinkerdPolicyTarget, LinkerdProxyProtocol, LinkerdServer,
  LinkerdServerRoute, MeshTlsAuthentication, NetworkAuthentication, NetworkPeer, NetworkPolicy, NetworkPolicyDirection, NetworkProtocol, RequestPath,
} from '../../src/security';
import { HttpMethod } from '../../src/traffic/match';
import { meshChart, ofKind } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();

describe('Linkerd policy L2s', () => {
  test('Server, MeshTLSAuthentication, NetworkAuthentication, per-route AuthorizationPolicy', () => {
    const c = meshChart(Mesh.LINKERD, 'booksapp');
    const server = new LinkerdServer(c, 'authors', { podSelector: { app: 'authors' }, port: 7001, proxyProtocol: LinkerdProxyProtocol.HTTP1 });
    const mtls = new MeshTlsAuthentication(c, 'webapp', { serviceAccounts: [{ name: 'webapp' }, { name: 'books', namespace: 'booksapp' }], namespaces: ['ops'] });
    const probes = new NetworkAuthentication(c, 'kubelet', { networks: [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }] });
    const route = new LinkerdServerRoute(c, 'authors-get', { server, matches: [{ path: RequestPath.prefix('/authors'), method: HttpMethod.GET }] });
    new LinkerdAuthorizationPolicy(c, 'authors-get-authz', { target: LinkerdPolicyTarget.route(route), requiredAuthentications: [mtls] });
    new LinkerdAuthorizationPolicy(c, 'authors-probes', { target: LinkerdPolicyTarget.server(server), requiredAuthentications: [probes] });
    new LinkerdAuthorizationPolicy(c, 'ns-wide', { target: LinkerdPolicyTarget.namespace('booksapp'), requiredAuthentications: [mtls] });
    const out = batch.add('linkerd-l2', Testing.synth(c));
    expect(ofKind(out, 'Server')[0].spec).toEqual({ podSelector: { matchLabels: { app: 'authors' } }, port: 7001, proxyProtocol: 'HTTP/1', accessPolicy: 'deny' });
    expect(ofKind(out, 'MeshTLSAuthentication')[0].spec).toEqual({
      identityRefs: [{ kind: 'ServiceAccount', name: 'webapp' }, { kind: 'ServiceAccount', name: 'books', namespace: 'booksapp' }, { kind: 'ServiceAccount', namespace: 'ops' }],
    });
    expect(ofKind(out, 'NetworkAuthentication')[0].spec).toEqual({ networks: [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }] });
    const [httpRoute] = ofKind(out, 'HTTPRoute');
    expect(httpRoute.apiVersion).toBe('policy.linkerd.io/v1beta3');
    expect(httpRoute.spec).toEqual({
      parentRefs: [{ group: 'policy.linkerd.io', kind: 'Server', name: 'authors' }],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/authors' }, method: 'GET' }] }],
    });
    const policies = ofKind(out, 'AuthorizationPolicy');
    expect(policies.map((p) => p.spec.targetRef)).toEqual([
      { group: 'policy.linkerd.io', kind: 'HTTPRoute', name: 'authors-get' },
      { group: 'policy.linkerd.io', kind: 'Server', name: 'authors' },
      { kind: 'Namespace', name: 'booksapp' },
    ]);
    expect(policies[1].spec.requiredAuthenticationRefs).toEqual([{ group: 'policy.linkerd.io', kind: 'NetworkAuthentication', name: 'kubelet' }]);
    expect(out).toMatchSnapshot();
  });

  test('an accessPolicy other than deny, and a named port', () => {
    const c = meshChart(Mesh.LINKERD);
    new LinkerdServer(c, 'metrics', { podSelector: { app: 'x' }, port: 'http-metrics', accessPolicy: LinkerdAccessPolicy.ALL_UNAUTHENTICATED });
    expect(batch.add('linkerd-server-named', Testing.synth(c))[0].spec).toEqual({ podSelector: { matchLabels: { app: 'x' } }, port: 'http-metrics', accessPolicy: 'all-unauthenticated' });
  });

  test('a policy target reads back its namespace as targetNamespace (deprecated alias: namespace)', () => {
    const target = LinkerdPolicyTarget.namespace('booksapp');
    expect([target.kind, target.name, target.targetNamespace]).toEqual(['Namespace', 'booksapp', 'booksapp']);
    expect(target.namespace).toBe(target.targetNamespace);
  });

  test('validation', () => {
    const c = meshChart(Mesh.LINKERD);
    const server = new LinkerdServer(c, 's', { podSelector: { app: 'x' }, port: 80 });
    expect(() => new LinkerdServer(c, 'a', { podSelector: { app: 'x' }, port: 0 })).toThrow(/port must be a container port number or name, got 0/);
    expect(() => new LinkerdAuthorizationPolicy(c, 'b', { target: LinkerdPolicyTarget.server(server), requiredAuthentications: [] }))
      .toThrow(/an empty list authorizes every client, even unauthenticated ones/);
    expect(() => new NetworkAuthentication(c, 'c', { networks: [{ cidr: '10.0.0.1' }] })).toThrow(/"10.0.0.1", which is not a CIDR/);
    expect(() => new LinkerdServerRoute(c, 'd', { server, matches: [{}] })).toThrow(/matches\[0\] is empty/);
    expect(() => new MeshTlsAuthentication(c, 'e', { identities: ['Not An Identity'] })).toThrow(/is not a Linkerd identity/);
    const other = meshChart(Mesh.LINKERD, 'other');
    const auth = new MeshTlsAuthentication(other, 'x', { serviceAccounts: [{ name: 'a' }] });
    expect(() => new LinkerdAuthorizationPolicy(c, 'f', { target: LinkerdPolicyTarget.server(server), requiredAuthentications: [auth] })).toThrow(/is in namespace "other", not "bookinfo"/);
    const empty = meshChart(Mesh.LINKERD);
    new MeshTlsAuthentication(empty, 'nobody', {});
    expect(() => Testing.synth(empty)).toThrow(/serviceAccounts is empty and so are namespaces and identities/);
  });
});

describe('CiliumNetworkPolicy', () => {
  test('L7 HTTP rules from endpoints (namespace label added), entities and DNS egress', () => {
    const c = meshChart(Mesh.CILIUM, 'production');
    const p = new CiliumNetworkPolicy(c, 'api-l7-policy', { endpointSelector: { app: 'api-service' } });
    p.addIngress({
      endpoints: [{ labels: { app: 'frontend' } }], ports: [8080],
      http: [{ method: HttpMethod.GET, path: RequestPath.exact('/api/users') }, { method: HttpMethod.POST, path: RequestPath.exact('/api/users'), headers: ['Content-Type: application/json'] }],
    });
    p.addIngress({ entities: [CiliumEntity.HOST], ports: [15021] });
    p.addEgress({ endpoints: [{ labels: { 'k8s-app': 'kube-dns' }, namespace: 'kube-system' }], ports: [53], protocol: undefined, dnsMatchPatterns: ['*.example.com'] });
    const out = batch.add('cilium-l2', Testing.synth(c));
    expect(out[0].spec).toEqual({
      endpointSelector: { matchLabels: { app: 'api-service' } },
      ingress: [
        {
          fromEndpoints: [{ matchLabels: { 'app': 'frontend', 'k8s:io.kubernetes.pod.namespace': 'production' } }],
          toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }], rules: { http: [{ method: 'GET', path: '/api/users(\\?.*)?' }, { method: 'POST', path: '/api/users(\\?.*)?', headers: ['Content-Type: application/json'] }] } }],
        },
        { fromEntities: ['host'], toPorts: [{ ports: [{ port: '15021', protocol: 'TCP' }] }] },
      ],
      egress: [{
        toEndpoints: [{ matchLabels: { 'k8s-app': 'kube-dns', 'k8s:io.kubernetes.pod.namespace': 'kube-system' } }],
        toPorts: [{ ports: [{ port: '53', protocol: 'TCP' }], rules: { dns: [{ matchPattern: '*.example.com' }] } }],
      }],
    });
    expect(out).toMatchSnapshot();
  });

  test('validation', () => {
    const c = meshChart(Mesh.CILIUM);
    const p = new CiliumNetworkPolicy(c, 'p', { endpointSelector: { app: 'x' } });
    expect(() => p.addIngress({ ports: [80] })).toThrow(/ingress\[0\] names no peer/);
    expect(() => p.addIngress({ entities: [CiliumEntity.WORLD], http: [{ method: HttpMethod.GET }] })).toThrow(/ports are needed for L7 rules/);
    expect(() => p.addIngress({ entities: [CiliumEntity.WORLD], ports: [53], dnsMatchPatterns: ['*'] })).toThrow(/dnsMatchPatterns only apply to egress/);
    expect(() => p.addIngress({ entities: [CiliumEntity.WORLD], ports: [99999] })).toThrow(/99999, which is not a port number/);
    expect(() => new CiliumNetworkPolicy(c, 'q', { endpointSelector: { 'bad key!': 'x' } })).toThrow(/invalid label key/);
  });
});

describe('NetworkPolicy', () => {
  test('default deny with DNS egress: ports sit inside each rule', () => {
    const c = meshChart();
    const p = new NetworkPolicy(c, 'default-deny', { isolate: [NetworkPolicyDirection.INGRESS, NetworkPolicyDirection.EGRESS] });
    p.addEgress({ peers: [NetworkPeer.pods({ 'k8s-app': 'kube-dns' }, { namespace: 'kube-system' })], ports: [{ port: 53, protocol: NetworkProtocol.UDP }, { port: 53 }] });
    const out = batch.add('network-policy-default-deny', Testing.synth(c));
    expect(out[0].spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
      }],
    });
    expect(out[0].spec.ports).toBeUndefined();
    expect(out).toMatchSnapshot();
  });

  test('ingress from pods, namespaces and IP blocks; policy types follow the rules', () => {
    const c = meshChart();
    const p = new NetworkPolicy(c, 'reviews', { podSelector: { app: 'reviews' } });
    p.addIngress({ peers: [NetworkPeer.pods({ app: 'productpage' }), NetworkPeer.namespace('monitoring'), NetworkPeer.ipBlock('192.168.0.0/16', ['192.168.1.0/24'])], ports: [{ port: 9080 }] });
    const [np] = batch.add('network-policy-ingress', Testing.synth(c));
    expect(np.spec.policyTypes).toEqual(['Ingress']);
    expect(np.spec.ingress[0].from).toEqual([
      { podSelector: { matchLabels: { app: 'productpage' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
      { ipBlock: { cidr: '192.168.0.0/16', except: ['192.168.1.0/24'] } },
    ]);
  });

  test('validation', () => {
    const c = meshChart();
    const p = new NetworkPolicy(c, 'p');
    expect(() => p.addIngress({ peers: [] })).toThrow(/peers must be a non-empty list of NetworkPeer/);
    expect(() => p.addIngress({ ports: [{ port: 0 }] })).toThrow(/port must be a port number, got 0/);
    expect(() => NetworkPeer.ipBlock('10.0.0.0')).toThrow(/must be a CIDR/);
    expect(() => NetworkPeer.pods({})).toThrow(/must name at least one pod label/);
  });
});

test('every scenario is schema-valid', () => {
  expect(batch.size).toBeGreaterThanOrEqual(5);
  expect(batch.problems()).toEqual([]);
});
