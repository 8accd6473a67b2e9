import { Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { meshChart } from '../support/charts';
import { Caller } from '../../src/security/caller';
import { ServiceAuthorization } from '../../src/security/service-authorization';
import { LocalRateLimit } from '../../src/resilience/local-rate-limit';
import { RateLimit } from '../../src/resilience/rate-limit';
import { LinkerdAccessPolicy } from '../../src/security/linkerd/server';
import { JwtPolicy, JwtTarget } from '../../src/security/jwt-policy';
import { StrictMtlsNamespace } from '../../src/security/strict-mtls-namespace';
import { MeshWideMtls } from '../../src/security/mesh-wide-mtls';
import { Row, service, of, names, authorize, testRows } from './support';

/** Policies and security: the objects rendered for a service's callers, limits and tokens, and a namespace's baseline. */
const POLICY_ROWS: Row[] = [
  {
    construct: 'MeshService', prop: 'names.authorizationPolicy', mesh: Mesh.ISTIO, kind: 'AuthorizationPolicy', name: 'reviews-allow',
    build: (c) => authorize(c, { authorizationPolicy: 'reviews-allow' }),
  },
  {
    construct: 'MeshService', prop: 'names.ingressNetworkPolicy', mesh: Mesh.ISTIO, kind: 'NetworkPolicy', name: 'reviews-callers',
    build: (c) => authorize(c, { ingressNetworkPolicy: 'reviews-callers' }),
  },
  {
    construct: 'MeshService', prop: 'names.egressNetworkPolicy', mesh: Mesh.LINKERD, kind: 'NetworkPolicy', name: 'productpage-out',
    build: (c) => authorize(c, {}, { egressNetworkPolicy: 'productpage-out' }),
  },
  {
    construct: 'MeshService', prop: 'names.ciliumNetworkPolicy', mesh: Mesh.CILIUM, kind: 'CiliumNetworkPolicy', name: 'reviews-l7',
    build: (c) => authorize(c, { ciliumNetworkPolicy: 'reviews-l7' }),
  },
  {
    construct: 'MeshService', prop: 'names.linkerdServers', mesh: Mesh.LINKERD, kind: 'Server', name: 'reviews-server',
    build: (c) => authorize(c, { linkerdServers: { http: 'reviews-server' } }),
    references: [
      { what: 'the AuthorizationPolicy targetRef', values: (o) => of(o, 'AuthorizationPolicy').map((p) => p.spec.targetRef.name) },
      { what: 'the per-rule objects <server>-<rule>', values: (o) => [...names(o, 'AuthorizationPolicy'), ...names(o, 'MeshTLSAuthentication')].map((n) => n.replace(/-from-productpage$/, '')) },
    ],
  },
  {
    construct: 'LocalRateLimit', prop: 'name', mesh: Mesh.ISTIO, kind: 'EnvoyFilter', name: 'reviews-limit',
    build: (c) => new LocalRateLimit(c, 'limit', { service: service(c, 'reviews'), limit: RateLimit.perSecond(10), name: 'reviews-limit' }),
  },
  {
    construct: 'LocalRateLimit', prop: 'name', mesh: Mesh.LINKERD, kind: 'HTTPLocalRateLimitPolicy', name: 'reviews-limit',
    build: (c) => new LocalRateLimit(c, 'limit', { service: service(c, 'reviews'), limit: RateLimit.perSecond(10), name: 'reviews-limit', serverAccessPolicy: LinkerdAccessPolicy.DENY }),
  },
  {
    construct: 'MeshService', prop: 'names.linkerdServers (LocalRateLimit)', mesh: Mesh.LINKERD, kind: 'Server', name: 'reviews-server',
    build: (c) => new LocalRateLimit(c, 'limit', {
      service: service(c, 'reviews', { names: { linkerdServers: { http: 'reviews-server' } } }), limit: RateLimit.perSecond(10), serverAccessPolicy: LinkerdAccessPolicy.DENY,
    }),
    references: [{ what: 'the rate limit targetRef', values: (o) => of(o, 'HTTPLocalRateLimitPolicy').map((p) => p.spec.targetRef.name) }],
  },
  {
    construct: 'JwtPolicy', prop: 'names.requestAuthentication', mesh: Mesh.ISTIO, kind: 'RequestAuthentication', name: 'reviews-issuers',
    build: (c) => new JwtPolicy(c, 'jwt', { target: JwtTarget.service(service(c, 'reviews')), jwtRules: [{ issuer: 'https://auth.example.com' }], names: { requestAuthentication: 'reviews-issuers' } }),
  },
  {
    construct: 'JwtPolicy', prop: 'names.authorizationPolicy', mesh: Mesh.ISTIO, kind: 'AuthorizationPolicy', name: 'reviews-token',
    build: (c) => new JwtPolicy(c, 'jwt', { target: JwtTarget.service(service(c, 'reviews')), jwtRules: [{ issuer: 'https://auth.example.com' }], names: { authorizationPolicy: 'reviews-token' } }),
  },
  {
    construct: 'StrictMtlsNamespace', prop: 'name', mesh: Mesh.ISTIO, kind: 'Namespace', name: 'shop-prod',
    build: (c) => new StrictMtlsNamespace(c, 'shop', { name: 'shop-prod' }),
    references: [{ what: 'the namespace of its policies', values: (o) => of(o, 'PeerAuthentication').map((p) => p.metadata.namespace) }],
  },
  {
    construct: 'StrictMtlsNamespace', prop: 'names.peerAuthentication', mesh: Mesh.ISTIO, kind: 'PeerAuthentication', name: 'shop-mtls',
    build: (c) => new StrictMtlsNamespace(c, 'shop', { names: { peerAuthentication: 'shop-mtls' } }),
  },
  {
    construct: 'StrictMtlsNamespace', prop: 'names.allowNothing', mesh: Mesh.ISTIO, kind: 'AuthorizationPolicy', name: 'shop-deny',
    build: (c) => new StrictMtlsNamespace(c, 'shop', { names: { allowNothing: 'shop-deny' } }),
  },
  {
    construct: 'StrictMtlsNamespace', prop: 'names.defaultDeny', mesh: Mesh.LINKERD, kind: 'NetworkPolicy', name: 'shop-baseline',
    build: (c) => new StrictMtlsNamespace(c, 'shop', { names: { defaultDeny: 'shop-baseline' } }),
  },
  {
    construct: 'MeshWideMtls', prop: 'names.peerAuthentication', mesh: Mesh.ISTIO, kind: 'PeerAuthentication', name: 'mesh-mtls',
    build: (c) => new MeshWideMtls(c, 'mtls', { names: { peerAuthentication: 'mesh-mtls' } }),
  },
  {
    construct: 'MeshWideMtls', prop: 'names.allowNothing', mesh: Mesh.ISTIO, kind: 'AuthorizationPolicy', name: 'mesh-deny',
    build: (c) => new MeshWideMtls(c, 'mtls', { denyByDefault: true, names: { allowNothing: 'mesh-deny' } }),
  },
];

describe('names you choose: policies and security', () => {
  testRows(POLICY_ROWS);

  test('a caller named by string cannot take its chosen egress name, and the synth says how to fix it', () => {
    const c = meshChart();
    const reviews = service(c, 'reviews');
    new ServiceAuthorization(c, 'authz').allow({ from: [Caller.serviceNamed('productpage')], to: reviews });
    service(c, 'productpage', { names: { egressNetworkPolicy: 'productpage-out' } });
    expect(() => Testing.synth(c)).toThrow(/test\/authz: from productpage names the caller by name \(Caller.serviceNamed\), so its egress NetworkPolicy is productpage-egress, not the name its MeshService chose \(names.egressNetworkPolicy: productpage-out\). Fix: pass the MeshService with Caller.service/);
  });

  test('Server names are keyed by port name', () => {
    const c = meshChart(Mesh.LINKERD);
    expect(() => service(c, 'reviews', { names: { linkerdServers: { grpc: 'x' } } })).toThrow(/test\/reviews: names.linkerdServers.grpc names no port of reviews \(ports: http\)/);
  });
});
