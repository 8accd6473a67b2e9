import { App } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { IngressGateway } from '../../src/ingress/ingress-gateway';
import { RouteTo } from '../../src/traffic/route-action';
import { BOOKINFO_PORT, BOOKINFO_SERVICES, declareServices, DEPLOYED_VERSIONS } from './bookinfo';
import { bookinfoChart } from './charts';
import { productpageMatches } from './edge';

/**
 * The Gateway API variants of the tasks (samples/bookinfo/gateway-api/*.yaml): the bookinfo
 * Gateway with productpage's HTTPRoute, and reviews routes through the per-version Services of
 * the application chart.
 */
export function addGatewayApi(app: App): void {
  const ingress = bookinfoChart(app, 'gateway-api-bookinfo-gateway', Mesh.GATEWAY_API);
  const { productpage } = declareServices(ingress, { productpage: [] });
  new IngressGateway(ingress, 'bookinfo', { gatewayClassName: 'istio' })
    .addRoute({ matches: productpageMatches(), to: RouteTo.service(productpage!, { port: BOOKINFO_PORT }) });

  const allV1 = bookinfoChart(app, 'gateway-api-route-all-v1', Mesh.GATEWAY_API);
  const services = declareServices(allV1, DEPLOYED_VERSIONS);
  for (const name of BOOKINFO_SERVICES) services[name]!.setDefaultRoute(RouteTo.version('v1'));

  const reviewsRoute = (id: string, to: RouteTo) => {
    const chart = bookinfoChart(app, id, Mesh.GATEWAY_API);
    declareServices(chart, { reviews: DEPLOYED_VERSIONS.reviews }).reviews!.setDefaultRoute(to);
  };
  reviewsRoute('gateway-api-route-reviews-v1', RouteTo.version('v1'));
  reviewsRoute('gateway-api-route-reviews-90-10', RouteTo.split({ v1: 90, v2: 10 }));
  reviewsRoute('gateway-api-route-reviews-50-v3', RouteTo.split({ v1: 50, v3: 50 }));
  reviewsRoute('gateway-api-route-reviews-v3', RouteTo.version('v3'));
}
