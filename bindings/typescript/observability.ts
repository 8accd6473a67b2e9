// docs/observability.md's SLOs: availability over 30 days, and 95% of requests faster than 250 ms
// over 28 days, each with multi-window burn-rate alerts.
import { App, Chart, Duration } from 'cdk8s';
import { MeshService, ServiceLevelIndicator, ServiceLevelObjective, ServicePort } from '../../src';

const app = new App();
const chart = new Chart(app, 'observability', { namespace: 'bookinfo' });
const reviews = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)] });

new ServiceLevelObjective(chart, 'reviews-availability', { service: reviews, objectivePercent: 99.9 });
new ServiceLevelObjective(chart, 'reviews-latency', {
  service: reviews, objectivePercent: 95, window: Duration.days(28),
  indicator: ServiceLevelIndicator.latency(Duration.millis(250)),
});

app.synth();
