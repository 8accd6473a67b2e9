import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { fail, quote } from '../../core/errors';
import { validateDnsLabel } from '../../core/names';
import { useRuntimeDefaultSeccomp } from '../../core/restricted-pod';
import { TracingProvider } from './providers';
import { enableObjectIdentityCheck } from '../../core/object-identity';

const IMAGE = /^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
/** The UID the Jaeger v2 image runs as. */
const JAEGER_UID = 10001;
const HEALTH_PORT = 13133;

/** Props of {@link JaegerAllInOne}. */
export interface JaegerAllInOneProps {
  /** @default 'jaeger' */
  readonly name?: string;
  /** @default 'observability' */
  readonly namespace?: string;
  /**
   * The Jaeger v2 image (the OpenTelemetry-Collector-based `jaegertracing/jaeger`, not the retired v1 `all-in-one`).
   * @default 'jaegertracing/jaeger:2.10.0'
   */
  readonly image?: string;
  /** @default Size.mebibytes(256) */
  readonly memoryRequest?: Size;
  /** In-memory storage keeps up to 100,000 traces: size the limit for them. @default Size.gibibytes(1) */
  readonly memoryLimit?: Size;
  /** @default 100 */
  readonly cpuRequestMillis?: number;
  /** @default 1000 */
  readonly cpuLimitMillis?: number;
}

/**
 * A single-replica Jaeger v2 with in-memory storage, for development and test clusters: traces are
 * lost on restart and nothing is replicated. It receives OTLP (gRPC 4317, HTTP 4318) and Zipkin
 * (9411) and serves the UI on 16686, runs as non-root (UID 10001) with a read-only root file
 * system, and is probed on its health-check endpoint (13133 `/status`). Point the mesh at it with
 * {@link JaegerAllInOne.openTelemetryProvider} or {@link JaegerAllInOne.zipkinProvider}.
 */
export class JaegerAllInOne extends Construct {
  /** The Deployment, as its Kubernetes object (no cdk8s-plus type in this API: see ServiceWorkloads.serviceAccount). */
  public readonly deployment: ApiObject;
  /** The Service. */
  public readonly service: ApiObject;
  /** The Service's fully qualified host. */
  public readonly host: string;

  public constructor(scope: Construct, id: string, props: JaegerAllInOneProps = {}) {
    super(scope, id);
    enableObjectIdentityCheck(this);
    const name = validateDnsLabel(this, 'name', props.name ?? 'jaeger');
    const namespace = validateDnsLabel(this, 'namespace', props.namespace ?? 'observability');
    const image = props.image ?? 'jaegertracing/jaeger:2.10.0';
    if (typeof image !== 'string' || !IMAGE.test(image)) fail(this, 'image', `is not an image reference, got ${quote(image)}`, 'pass e.g. "jaegertracing/jaeger:2.10.0"');
    const cpuReq = props.cpuRequestMillis ?? 100;
    const cpuLim = props.cpuLimitMillis ?? 1000;
    if (!Number.isInteger(cpuReq) || !Number.isInteger(cpuLim) || cpuReq < 1 || cpuLim < cpuReq) {
      fail(this, 'cpuLimitMillis', `must be whole millicores with request <= limit, got ${quote(cpuReq)} / ${quote(cpuLim)}`, 'pass e.g. cpuRequestMillis: 100, cpuLimitMillis: 1000');
    }
    const memReq = props.memoryRequest ?? Size.mebibytes(256);
    const memLim = props.memoryLimit ?? Size.gibibytes(1);
    if (memReq.toMebibytes() > memLim.toMebibytes()) fail(this, 'memoryRequest', `(${memReq.toMebibytes()}Mi) exceeds memoryLimit (${memLim.toMebibytes()}Mi)`, 'raise the limit or lower the request');
    this.host = `${name}.${namespace}.svc.cluster.local`;
    const labels = { 'app.kubernetes.io/name': 'jaeger', 'app.kubernetes.io/instance': name, 'app.kubernetes.io/component': 'all-in-one' };

    const deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: { name, namespace, labels },
      replicas: 1,
      select: false,
      podMetadata: { labels },
      automountServiceAccountToken: false,
      securityContext: { ensureNonRoot: true, user: JAEGER_UID, group: JAEGER_UID, fsGroup: JAEGER_UID },
    });
    deployment.select(kplus.LabelSelector.of({ labels }));
    const health = { port: HEALTH_PORT };
    const container = deployment.addContainer({
      name: 'jaeger',
      image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      ports: [
        { number: 4317, name: 'otlp-grpc' },
        { number: 4318, name: 'otlp-http' },
        { number: 9411, name: 'zipkin' },
        { number: 16686, name: 'query' },
        { number: HEALTH_PORT, name: 'health' },
      ],
      securityContext: {
        ensureNonRoot: true,
        user: JAEGER_UID,
        group: JAEGER_UID,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: ['ALL' as kplus.Capability] },
      },
      resources: {
        cpu: { request: kplus.Cpu.millis(cpuReq), limit: kplus.Cpu.millis(cpuLim) },
        memory: { request: memReq, limit: memLim },
      },
      readiness: kplus.Probe.fromHttpGet('/status', { ...health, periodSeconds: Duration.seconds(10) }),
      liveness: kplus.Probe.fromHttpGet('/status', { ...health, periodSeconds: Duration.seconds(20), failureThreshold: 3, initialDelaySeconds: Duration.seconds(10) }),
    });
    // The image declares /tmp a volume; with a read-only root file system it must be writable.
    container.mount('/tmp', kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp'));
    this.deployment = ApiObject.of(deployment);
    this.deployment.addJsonPatch(JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));
    useRuntimeDefaultSeccomp(deployment);

    // Port names tell Istio the protocol; appProtocol tells everyone else.
    this.service = new kplus.k8s.KubeService(this, 'Service', {
      metadata: { name, namespace, labels },
      spec: {
        selector: labels,
        ports: [
          { name: 'grpc-otlp', port: 4317, targetPort: kplus.k8s.IntOrString.fromNumber(4317), appProtocol: 'grpc' },
          { name: 'http-otlp', port: 4318, targetPort: kplus.k8s.IntOrString.fromNumber(4318), appProtocol: 'http' },
          { name: 'http-zipkin', port: 9411, targetPort: kplus.k8s.IntOrString.fromNumber(9411), appProtocol: 'http' },
          { name: 'http-query', port: 16686, targetPort: kplus.k8s.IntOrString.fromNumber(16686), appProtocol: 'http' },
        ],
      },
    });
  }

  /** A tracing provider sending OTLP/gRPC spans to this Jaeger. */
  public openTelemetryProvider(name = 'jaeger-otlp'): TracingProvider {
    return TracingProvider.openTelemetry({ name, service: this.host, port: 4317 });
  }

  /** A tracing provider sending Zipkin spans to this Jaeger. */
  public zipkinProvider(name = 'jaeger-zipkin'): TracingProvider {
    return TracingProvider.zipkin({ name, service: this.host, port: 9411 });
  }
}
