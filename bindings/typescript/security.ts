// docs/security.md's allow graph: the ingress gateway may call productpage, productpage may read
// reviews under /reviews, reviews may read ratings; everything else is denied.
import { App, Chart } from 'cdk8s';
import { Caller, HttpMethod, MeshService, RequestPath, ServiceAuthorization, ServicePort } from '../../src';

const app = new App();
const chart = new Chart(app, 'security', { namespace: 'bookinfo' });
const productpage = new MeshService(chart, 'productpage', { ports: [ServicePort.http(9080)] });
const reviews = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)] });
const ratings = new MeshService(chart, 'ratings', { ports: [ServicePort.http(9080)] });

const authz = new ServiceAuthorization(chart, 'authz');
authz.allow({ from: [Caller.ingressGateway()], to: productpage, methods: [HttpMethod.GET, HttpMethod.POST] });
authz.allow({ from: [Caller.service(productpage)], to: reviews, methods: [HttpMethod.GET], paths: [RequestPath.prefix('/reviews')] });
authz.allow({ from: [Caller.serviceNamed('reviews')], to: ratings, methods: [HttpMethod.GET] });

app.synth();
