// Observability for bookinfo on Istio (and one service on Linkerd): a demo Jaeger, mesh-wide tracing and
// error-only access logs, proxy and istiod scraping, golden-signal alerts, availability and
// latency SLOs with burn-rate alerts, Grafana dashboards and Alertmanager routing.
import { App, Chart, Duration } from 'cdk8s';
import { Mesh, useMesh } from '../../src/core/mesh';
import {
  AccessLogFilter, AccessLogProvider, CustomTag, IstioMetric, JaegerAllInOne, ObservabilityStack, Receiver,
  ServiceLevelIndicator, TagOverride, Telemetry, TelemetryDirection,
} from '../../src/observability';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { MeshTarget, useTarget } from '../../src/target/mesh-target';

export function createApp(outdir: string, target?: MeshTarget): App {
  const app = new App({ outdir });
  if (target) useTarget(app, target);

  const istio = new Chart(app, 'observability-istio', { namespace: 'bookinfo' });
  useMesh(istio, Mesh.ISTIO);
  // A single-replica, in-memory Jaeger for this demo cluster; its OTLP provider goes into istiod's
  // Helm values (istiodHelmValues([jaeger.openTelemetryProvider()])).
  const jaeger = new JaegerAllInOne(istio, 'jaeger', { namespace: 'observability' });
  const tracing = jaeger.openTelemetryProvider();
  const productpage = new MeshService(istio, 'productpage', { ports: [ServicePort.http(9080)], versions: ['v1'] });
  const reviews = new MeshService(istio, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2', 'v3'] });
  const ratings = new MeshService(istio, 'ratings', { ports: [ServicePort.http(9080)], versions: ['v1'] });

  new ObservabilityStack(istio, 'observability', {
    services: [productpage, reviews, ratings],
    tracing: {
      provider: tracing,
      randomSamplingPercentage: 10,
      customTags: { cluster: CustomTag.literal('prod-eu-1'), user: CustomTag.header('x-user-id', 'anonymous') },
    },
    accessLogging: { providers: [AccessLogProvider.ENVOY], filter: AccessLogFilter.ERRORS },
    alerts: { runbookBaseUrl: 'https://runbooks.example.com/mesh', team: 'bookinfo', latency: { threshold: Duration.millis(500) } },
    objectives: [
      { service: productpage, objectivePercent: 99.9 },
      { service: reviews, objectivePercent: 99.9 },
      { service: reviews, objectivePercent: 95, indicator: ServiceLevelIndicator.latency(Duration.millis(250)) },
    ],
    ruleLabels: { release: 'kube-prometheus-stack' },
    monitorLabels: { release: 'kube-prometheus-stack' },
    alertRouting: {
      defaultReceiver: Receiver.slack('mesh-alerts', { apiUrl: { secretName: 'alertmanager-slack', key: 'webhook-url' }, channel: '#mesh-alerts' }),
      criticalReceiver: Receiver.pagerDuty('mesh-oncall', { routingKey: { secretName: 'alertmanager-pagerduty', key: 'routing-key' } }),
      teams: [{
        team: 'bookinfo',
        receiver: Receiver.slack('bookinfo-team', { apiUrl: { secretName: 'alertmanager-slack', key: 'webhook-url' }, channel: '#bookinfo' }),
        pageReceiver: Receiver.pagerDuty('bookinfo-oncall', { routingKey: { secretName: 'alertmanager-pagerduty', key: 'bookinfo-routing-key' } }),
      }],
    },
  });

  // reviews: trace every request while its v3 canary is evaluated, and drop a high-cardinality tag.
  Telemetry.forService(istio, 'reviews-telemetry', reviews, {
    tracing: { provider: tracing, randomSamplingPercentage: 100 },
    metrics: { overrides: [{ metric: IstioMetric.REQUEST_COUNT, direction: TelemetryDirection.SERVER, tagOverrides: { request_protocol: TagOverride.remove() } }] },
  });

  const linkerd = new Chart(app, 'observability-linkerd', { namespace: 'emojivoto' });
  useMesh(linkerd, Mesh.LINKERD);
  const web = new MeshService(linkerd, 'web-svc', { ports: [ServicePort.http(80, { targetPort: 8080 })], selector: { app: 'web-svc' } });
  new ObservabilityStack(linkerd, 'observability', {
    services: [web],
    objectives: [{ service: web, objectivePercent: 99.5 }],
    alerts: { runbookBaseUrl: 'https://runbooks.example.com/mesh' },
  });

  return app;
}
