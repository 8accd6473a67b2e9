// The README's first service. The Python, Java and Go programs beside this folder are the same
// program; bindings/run-tests.sh compares their YAML with this one's byte for byte.
import { App, Chart, Duration } from 'cdk8s';
import { CanaryService, Match, MeshService, RouteTo, ServicePort } from '../../src';

const app = new App();
const chart = new Chart(app, 'reviews', { namespace: 'bookinfo' });

const reviews = new MeshService(chart, 'reviews', {
  ports: [ServicePort.http(9080)],
  versions: ['v1', 'v2', 'v3'],
  serviceAccountName: 'bookinfo-reviews',
});

reviews.addRoute({ matches: [Match.header('end-user').exact('jason')], to: RouteTo.version('v3'), timeout: Duration.seconds(2) });
new CanaryService(chart, 'reviews-canary', { service: reviews, stableVersion: 'v1', canaryVersion: 'v2', stage: 2 });

app.synth();
