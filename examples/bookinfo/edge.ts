import { App } from 'cdk8s';
import { ExternalService } from '../../src/egress/external-service';
import { IngressGateway } from '../../src/ingress/ingress-gateway';
import { ServicePort } from '../../src/service/service-port';
import { LoadBalancer } from '../../src/traffic/load-balancer';
import { Match } from '../../src/traffic/match';
import { RouteTo } from '../../src/traffic/route-action';
import { BOOKINFO_PORT, declareServices } from './bookinfo';
import { bookinfoChart } from './charts';

/** productpage's paths, as samples/bookinfo/networking/bookinfo-gateway.yaml exposes them. */
export function productpageMatches(): Match[] {
  return [
    Match.path.exact('/productpage'),
    Match.path.prefix('/static'),
    Match.path.exact('/login'),
    Match.path.exact('/logout'),
    Match.path.prefix('/api/v1/products'),
  ];
}

/**
 * The edge of the mesh: the ingress gateway (bookinfo-gateway.yaml) and egress to
 * www.googleapis.com with TLS origination (Istio's egress task for details v2).
 */
export function addEdge(app: App): void {
  // Gateway/bookinfo-gateway (istio: ingressgateway, port 80, any host) + VirtualService/bookinfo.
  const ingress = bookinfoChart(app, 'bookinfo-gateway');
  // productpage is declared without versions: the gateway routes to the Service, so no DestinationRule is needed
  const { productpage } = declareServices(ingress, { productpage: [] });
  new IngressGateway(ingress, 'bookinfo').addRoute({ matches: productpageMatches(), to: RouteTo.service(productpage!, { port: BOOKINFO_PORT }) });

  // ServiceEntry/googleapis (80 and 443), VirtualService/rewrite-port-for-googleapis (80 → 443),
  // DestinationRule/originate-tls-for-googleapis (ROUND_ROBIN, TLS SIMPLE on 443).
  const egress = bookinfoChart(app, 'egress-rule-google-apis');
  new ExternalService(egress, 'googleapis', {
    hosts: ['www.googleapis.com'],
    ports: [ServicePort.http(80), ServicePort.https(443)],
    loadBalancer: LoadBalancer.ROUND_ROBIN,
    tlsOrigination: { fromPort: 80, toPort: 443 },
  });
}
