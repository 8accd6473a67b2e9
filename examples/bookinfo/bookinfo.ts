// Istio's bookinfo sample (samples/bookinfo/platform/kube/bookinfo.yaml) described with cdk8s-mesh:
// the four services, their versions and ServiceAccounts, and the workloads that run them.
import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import { MeshService } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { ServiceWorkloads, SidecarInjection, VersionWorkload } from '../../src/service/service-workloads';
import { HorizontalAutoscaling } from '../../src/service/workload-autoscaling';

/** The tag of the upstream bookinfo images (Istio 1.28 samples). */
export const BOOKINFO_IMAGE_TAG = '1.20.3';
/** The port every bookinfo service listens on. */
export const BOOKINFO_PORT = 9080;

/** The bookinfo services. */
export type BookinfoServiceName = 'productpage' | 'details' | 'reviews' | 'ratings';
export const BOOKINFO_SERVICES: readonly BookinfoServiceName[] = ['productpage', 'details', 'reviews', 'ratings'];

/**
 * The versions `destination-rule-all.yaml` declares as subsets. Only some of them are deployed by
 * bookinfo.yaml (see DEPLOYED_VERSIONS); the others belong to optional sample workloads.
 */
export const SUBSET_VERSIONS: Readonly<Record<BookinfoServiceName, readonly string[]>> = {
  productpage: ['v1'],
  details: ['v1', 'v2'],
  reviews: ['v1', 'v2', 'v3'],
  ratings: ['v1', 'v2', 'v2-mysql', 'v2-mysql-vm'],
};

/** The versions bookinfo.yaml deploys. */
export const DEPLOYED_VERSIONS: Readonly<Record<BookinfoServiceName, readonly string[]>> = {
  productpage: ['v1'],
  details: ['v1'],
  reviews: ['v1', 'v2', 'v3'],
  ratings: ['v1'],
};

/** The upstream image of a service version. */
export function bookinfoImage(service: BookinfoServiceName, version: string): string {
  return `docker.io/istio/examples-bookinfo-${service}-${version}:${BOOKINFO_IMAGE_TAG}`;
}

/** The four services, keyed by name. */
export type BookinfoServices = Partial<Record<BookinfoServiceName, MeshService>>;

/**
 * Declares bookinfo services (port 9080 named `http`, selector `app: <name>`, ServiceAccount
 * `bookinfo-<name>`) with the given versions.
 *
 * @param versions the services to declare and their versions
 */
export function declareServices(scope: Construct, versions: Partial<Record<BookinfoServiceName, readonly string[]>>): BookinfoServices {
  const out: BookinfoServices = {};
  for (const name of BOOKINFO_SERVICES) {
    const vs = versions[name];
    if (!vs) continue;
    out[name] = new MeshService(scope, name, {
      ports: [ServicePort.http(BOOKINFO_PORT)],
      serviceAccountName: `bookinfo-${name}`,
      versions: [...vs],
    });
  }
  return out;
}

/** The path every bookinfo service answers health checks on (productpage.py, details.rb, ratings.js, reviews' LibertyRestEndpoint). */
export const BOOKINFO_HEALTH_PATH = '/health';

/**
 * The UID a bookinfo image runs as (its Dockerfile's USER): 1000, except reviews, whose Open Liberty
 * image owns its server directory as 1001.
 */
export function bookinfoUser(service: BookinfoServiceName): number {
  return service === 'reviews' ? 1001 : 1000;
}

/** The workload settings of a bookinfo version, as in the upstream manifests. */
export function bookinfoWorkload(service: BookinfoServiceName, version: string): VersionWorkload {
  const image = bookinfoImage(service, version);
  switch (service) {
    case 'productpage':
      return {
        version, image,
        podAnnotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(BOOKINFO_PORT), 'prometheus.io/path': '/metrics' },
      };
    case 'reviews':
      // Liberty writes logs (LOG_DIR, moved to /tmp as upstream does) and its output directory.
      // Upstream mounts /opt/ibm/wlp/output (the WebSphere Liberty images); the 1.20.x images are
      // Open Liberty (samples/bookinfo/src/reviews/Dockerfile), whose output is /opt/ol/wlp/output.
      // A JVM needs more memory.
      return {
        version, image,
        env: { LOG_DIR: '/tmp/logs' },
        writableDirectories: ['/tmp', '/opt/ibm/wlp/output', '/opt/ol/wlp/output'],
        resources: { memoryRequest: Size.mebibytes(256), memoryLimit: Size.gibibytes(1) },
      };
    case 'details':
      // details v2 calls www.googleapis.com; DO_NOT_ENCRYPT makes it send plain HTTP so the
      // sidecar can originate TLS (egress-rule-google-apis).
      return version === 'v2' ? { version, image, env: { DO_NOT_ENCRYPT: 'true' } } : { version, image };
    default:
      return { version, image };
  }
}

/** Options of {@link addWorkloads}. */
export interface WorkloadOptions {
  /** @default - per the chart's mesh */
  readonly sidecarInjection?: SidecarInjection;
  /** @default - per the chart's mesh */
  readonly perVersionServices?: boolean;
  /** @default 1 */
  readonly replicas?: number;
  /** Services scaled by a HorizontalPodAutoscaler instead of a fixed `replicas`. @default - none */
  readonly autoscaling?: Partial<Record<BookinfoServiceName, HorizontalAutoscaling>>;
  /** Only these versions of each service get a Deployment. @default - every version of the service */
  readonly versions?: Partial<Record<BookinfoServiceName, readonly string[]>>;
}

/** Creates the workloads (ServiceAccount, Service, Deployments, per-version Services) of each service. */
export function addWorkloads(scope: Construct, services: BookinfoServices, options: WorkloadOptions = {}): ServiceWorkloads[] {
  const out: ServiceWorkloads[] = [];
  for (const name of BOOKINFO_SERVICES) {
    const service = services[name];
    if (!service) continue;
    const versions = options.versions?.[name] ?? service.versions.map((v) => v.name);
    out.push(new ServiceWorkloads(scope, `${name}-workloads`, {
      service,
      versions: versions.map((v) => bookinfoWorkload(name, v)),
      sidecarInjection: options.sidecarInjection,
      perVersionServices: options.perVersionServices,
      replicas: options.autoscaling?.[name] ? undefined : options.replicas,
      autoscaling: options.autoscaling?.[name],
      runAsUser: bookinfoUser(name),
      healthCheckPath: BOOKINFO_HEALTH_PATH,
    }));
  }
  return out;
}
