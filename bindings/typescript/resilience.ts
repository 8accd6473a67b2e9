// docs/resilience.md's circuit breakers: a preset for the service, a preset with its own pool for
// one version, explicit outlier detection for another service.
import { App, Chart, Duration } from 'cdk8s';
import { CircuitBreakerPolicy, CircuitBreakerPreset, ConnectionPool, MeshService, OutlierDetection, ServicePort } from '../../src';

const app = new App();
const chart = new Chart(app, 'resilience', { namespace: 'bookinfo' });
const reviews = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2', 'v3'] });

new CircuitBreakerPolicy(chart, 'reviews-cb', { service: reviews, preset: CircuitBreakerPreset.STANDARD });
new CircuitBreakerPolicy(chart, 'reviews-v3-cb', {
  service: reviews, version: 'v3', preset: CircuitBreakerPreset.AGGRESSIVE,
  connectionPool: new ConnectionPool({ maxConnections: 10, connectTimeout: Duration.millis(500) }),
});

const ratings = new MeshService(chart, 'ratings', { ports: [ServicePort.http(9080)] });
new CircuitBreakerPolicy(chart, 'ratings-cb', {
  service: ratings,
  outlierDetection: new OutlierDetection({ consecutiveGatewayErrors: 3, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30), maxEjectionPercent: 100 }),
});

app.synth();
