import { Size, Testing } from 'cdk8s';
import { istiodHelmValues, JaegerAllInOne } from '../../src/observability';
import { meshChart } from '../support/charts';
import { SchemaBatch } from '../support/schema';

const batch = new SchemaBatch();

describe('JaegerAllInOne', () => {
  test('one non-root replica with resources, probes and OTLP/Zipkin/UI ports', () => {
    const c = meshChart();
    const j = new JaegerAllInOne(c, 'jaeger');
    const objects = batch.add('default', Testing.synth(c)) as any[];
    const dep = objects.find((o) => o.kind === 'Deployment');
    const svc = objects.find((o) => o.kind === 'Service');
    expect(dep.metadata).toMatchObject({ name: 'jaeger', namespace: 'observability' });
    expect(dep.spec.replicas).toBe(1);
    expect(dep.spec.template.metadata.labels).toEqual(dep.spec.selector.matchLabels);
    expect(svc.spec.selector).toEqual(dep.spec.selector.matchLabels);
    const pod = dep.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    const [ctr] = pod.containers;
    expect(ctr.image).toBe('jaegertracing/jaeger:2.10.0');
    expect(ctr.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(ctr.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1000m', memory: '1024Mi' } });
    expect(ctr.readinessProbe.httpGet).toMatchObject({ path: '/status', port: 13133 });
    expect(ctr.volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }]);
    expect(svc.spec.ports.map((p: any) => [p.name, p.port, p.appProtocol])).toEqual([
      ['grpc-otlp', 4317, 'grpc'], ['http-otlp', 4318, 'http'], ['http-zipkin', 9411, 'http'], ['http-query', 16686, 'http'],
    ]);
    expect(JSON.stringify(dep)).not.toContain('cdk8s.io/metadata.addr');
    expect(j.host).toBe('jaeger.observability.svc.cluster.local');
    expect(istiodHelmValues([j.openTelemetryProvider(), j.zipkinProvider()]).meshConfig.extensionProviders).toEqual([
      { name: 'jaeger-otlp', opentelemetry: { service: 'jaeger.observability.svc.cluster.local', port: 4317 } },
      { name: 'jaeger-zipkin', zipkin: { service: 'jaeger.observability.svc.cluster.local', port: 9411 } },
    ]);
    expect(objects).toMatchSnapshot();
  });

  test('sizing and naming are configurable', () => {
    const c = meshChart();
    new JaegerAllInOne(c, 'j', { name: 'tracing', namespace: 'tracing', image: 'registry.example.com/jaegertracing/jaeger:2.10.0', memoryLimit: Size.gibibytes(2), cpuLimitMillis: 2000 });
    const dep = (batch.add('custom', Testing.synth(c)) as any[]).find((o) => o.kind === 'Deployment');
    expect(dep.metadata.namespace).toBe('tracing');
    expect(dep.spec.template.spec.containers[0].resources.limits).toEqual({ cpu: '2000m', memory: '2048Mi' });
  });

  test('validation', () => {
    const c = meshChart();
    expect(() => new JaegerAllInOne(c, 'a', { image: 'Not An Image' })).toThrow(/image is not an image reference/);
    expect(() => new JaegerAllInOne(c, 'b', { cpuRequestMillis: 500, cpuLimitMillis: 100 })).toThrow(/cpuLimitMillis must be whole millicores with request <= limit/);
    expect(() => new JaegerAllInOne(c, 'c', { memoryRequest: Size.gibibytes(2) })).toThrow(/memoryRequest \(2048Mi\) exceeds memoryLimit \(1024Mi\)/);
    expect(() => new JaegerAllInOne(c, 'd', { namespace: 'Bad_NS' })).toThrow(/namespace/);
  });
});

test('every scenario is schema-valid', () => {
  expect(batch.size).toBeGreaterThan(0);
  expect(batch.problems()).toEqual([]);
});
