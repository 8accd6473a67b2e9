// Ingress and egress with cdk8s-mesh: an HTTPS edge for a shop (Istio Gateway + VirtualService, and
// the Gateway API Gateway + HTTPRoute equivalent), external APIs as ServiceEntries (with TLS
// origination and through an egress gateway) and a namespace limited to the hosts it needs.
// One chart per scenario and mesh, written to dist/ingress-egress/ by `npm run synth`.
import { App, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Destination, EgressScope, ExternalService, IngressApi, IngressGateway, IngressTls, LoadBalancer, Match, Mesh, MeshService, RouteTo,
  ServicePort, ServiceWorkloads, TlsProtocolVersion, useMesh, VersionWorkload,
} from '../../src';
import { MeshTarget, useTarget } from '../../src/target/mesh-target';

const NAMESPACE = 'shop';

/** podinfo (a small demo server) listening where the shop's Services say: it reads its ports from PODINFO_* variables. */
function podinfo(version: string, env: Record<string, string>): VersionWorkload {
  return { version, image: 'ghcr.io/stefanprodan/podinfo:6.9.2', env };
}

function chart(app: App, id: string, mesh: Mesh): Chart {
  const c = new Chart(app, id, { namespace: NAMESPACE });
  useMesh(c, mesh);
  return c;
}

/** The shop's services with their Deployments and Services: a web frontend and a catalog API in two versions. */
function shopServices(scope: Construct): { web: MeshService; catalog: MeshService } {
  const web = new MeshService(scope, 'web', { ports: [ServicePort.http(8080)], versions: ['v1'] });
  const catalog = new MeshService(scope, 'catalog', { ports: [ServicePort.http(9080), ServicePort.grpc(9090)], versions: ['v1', 'v2'] });
  new ServiceWorkloads(scope, 'web-workloads', { service: web, healthCheckPath: '/readyz', versions: [podinfo('v1', { PODINFO_PORT: '8080' })] });
  new ServiceWorkloads(scope, 'catalog-workloads', {
    service: catalog, healthCheckPath: '/readyz',
    versions: ['v1', 'v2'].map((v) => podinfo(v, { PODINFO_PORT: '9080', PODINFO_GRPC_PORT: '9090' })),
  });
  return { web, catalog };
}

/** shop.example.com over HTTPS: plain HTTP is redirected, /api goes to the catalog (10% on v2), the rest to the web frontend. */
function shopIngress(scope: Construct, mesh: Mesh): IngressGateway {
  const { web, catalog } = shopServices(scope);
  const ingress = new IngressGateway(scope, 'shop', {
    hosts: ['shop.example.com'],
    tls: mesh === Mesh.ISTIO ? IngressTls.simple('shop-example-com', { minProtocolVersion: TlsProtocolVersion.V1_2 }) : IngressTls.simple('shop-example-com'),
    httpsRedirect: true,
    gatewayClassName: mesh === Mesh.ISTIO ? undefined : 'istio',
  });
  ingress.addRoute({
    name: 'api',
    matches: [Match.path.prefix('/api')],
    to: RouteTo.weighted([
      { to: Destination.service(catalog, { version: 'v1', port: 9080 }), weight: 90 },
      { to: Destination.service(catalog, { version: 'v2', port: 9080 }), weight: 10 },
    ]),
    timeout: Duration.seconds(10),
  });
  // checkout runs in the payments namespace: Istio routes to its FQDN, the Gateway API needs a
  // ReferenceGrant in payments, which the IngressGateway creates.
  const checkout = new MeshService(scope, 'checkout', { namespace: 'payments', ports: [ServicePort.http(8080)], versions: ['v1'] });
  new ServiceWorkloads(scope, 'checkout-workloads', { service: checkout, healthCheckPath: '/readyz', versions: [podinfo('v1', { PODINFO_PORT: '8080' })] });
  ingress.addRoute({ name: 'checkout', matches: [Match.path.prefix('/checkout')], to: RouteTo.service(checkout) });
  ingress.addRoute({ name: 'web', to: RouteTo.service(web) });
  return ingress;
}

/** partners.example.com: clients must present a certificate signed by the partner CA. */
function partnerIngress(scope: Construct, mesh: Mesh): IngressGateway {
  const { catalog } = shopServices(scope);
  const ingress = new IngressGateway(scope, 'partners', {
    hosts: ['partners.example.com'],
    tls: IngressTls.mutual('partners-example-com', { clientCaConfigMap: mesh === Mesh.ISTIO ? undefined : 'partner-ca' }),
    httpsRedirect: true,
    gatewayClassName: mesh === Mesh.ISTIO ? undefined : 'istio',
  });
  ingress.addRoute({ matches: [Match.path.prefix('/catalog')], to: RouteTo.service(catalog, { port: 9080 }), rewrite: { path: '/' } });
  return ingress;
}

export function createApp(outdir: string, target?: MeshTarget): App {
  const app = new App({ outdir });
  if (target) useTarget(app, target);

  // Ingress, both meshes.
  for (const [suffix, mesh] of [['istio', Mesh.ISTIO], ['gateway-api', Mesh.GATEWAY_API]] as const) {
    shopIngress(chart(app, `ingress-tls-${suffix}`, mesh), mesh);
    partnerIngress(chart(app, `ingress-mtls-${suffix}`, mesh), mesh);
  }

  // Istio implements the Gateway API too: the same edge as a Gateway (class istio) and an HTTPRoute.
  const onIstio = chart(app, 'ingress-gateway-api-on-istio', Mesh.ISTIO);
  const { web } = shopServices(onIstio);
  new IngressGateway(onIstio, 'shop', { api: IngressApi.GATEWAY_API, hosts: ['shop.example.com'], tls: IngressTls.simple('shop-example-com') })
    .addRoute({ to: RouteTo.service(web) });

  // Egress (Istio): the shop may only reach its own namespace, istio-system and three external APIs.
  const egress = chart(app, 'egress-istio', Mesh.ISTIO);
  const payments = new ExternalService(egress, 'payments', { hosts: ['api.stripe.com'], ports: [ServicePort.https(443)] });
  // The app calls http://www.googleapis.com; the sidecar upgrades the call to HTTPS on 443.
  const googleapis = new ExternalService(egress, 'googleapis', {
    hosts: ['www.googleapis.com'],
    ports: [ServicePort.http(80), ServicePort.https(443)],
    loadBalancer: LoadBalancer.ROUND_ROBIN,
    tlsOrigination: { fromPort: 80, toPort: 443 },
  });
  // Calls to http://edition.cnn.com leave the mesh through the egress gateway.
  const news = new ExternalService(egress, 'cnn', {
    hosts: ['edition.cnn.com'],
    ports: [ServicePort.http(80, { name: 'http-port' }), ServicePort.https(443)],
    egressGateway: { gatewayName: 'istio-egressgateway' },
  });
  new EgressScope(egress, 'shop-egress', { externalServices: [payments, googleapis, news] });

  return app;
}
