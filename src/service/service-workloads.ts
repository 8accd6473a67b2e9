import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { declareProbePath } from '../core/probe-paths';
import { fail, quote } from '../core/errors';
import { Mesh } from '../core/mesh';
import { validatePositiveInt } from '../core/percent';
import type { MeshService } from './mesh-service';
import { useRuntimeDefaultSeccomp } from '../core/restricted-pod';
import { ProbeSettings } from './probe-settings';
import { workloadProbes } from './workload-probes';
import { validateArgs, validateDirectories, validateEnv, validateImage, validateResources } from './workload-validation';
import { WorkloadResources } from './workload-resources';
import { MeshKubeService } from './kube-service';
import { chosenName } from '../core/object-names';
import { HorizontalAutoscaling, VerticalAutoscaling } from './workload-autoscaling';
import { addAutoscalers, resolveAutoscaling } from './workload-autoscalers';

/** How the mesh's proxy is added to the pods. */
export enum SidecarInjection {
  /** Istio: the pod label `sidecar.istio.io/inject: "true"`. */
  ISTIO = 'istio',
  /** Linkerd: the pod annotation `linkerd.io/inject: enabled`. */
  LINKERD = 'linkerd',
  /** No injection marker (namespace-level injection, or a sidecar-less mesh such as Cilium). */
  NONE = 'none',
}

/** The workload of one version of a service. */
export interface VersionWorkload {
  /** The version, which must be defined on the service (`MeshService.addVersion`). */
  readonly version: string;
  /** The container image, e.g. `docker.io/istio/examples-bookinfo-reviews-v1:1.20.3`. */
  readonly image: string;
  /**
   * The Deployment's name, to keep an existing Deployment's (its pods are named after it). The
   * version's Service is named with `MeshService.addVersion(version, { serviceName })`.
   * @default `<service>-<version>`, e.g. `reviews-v1`
   */
  readonly deploymentName?: string;
  /** @default - no environment variables */
  readonly env?: Record<string, string>;
  /**
   * Arguments to the image's entrypoint (the container's `args`), e.g. `['prod:webapp']` for
   * Linkerd's booksapp image, whose entrypoint runs the rake task named here.
   * @default - the image's CMD
   */
  readonly args?: string[];
  /** @default - the ServiceWorkloads' `resources` */
  readonly resources?: WorkloadResources;
  /**
   * A fixed pod count. Set on a version, it also opts the version out of the ServiceWorkloads'
   * `autoscaling`; it cannot be combined with the version's own `autoscaling`.
   * @default - the ServiceWorkloads' `replicas`
   */
  readonly replicas?: number;
  /**
   * A HorizontalPodAutoscaler for this version; its fields refine the ServiceWorkloads'
   * `autoscaling`. The Deployment then renders no `replicas`.
   * @default - the ServiceWorkloads' `autoscaling`
   */
  readonly autoscaling?: HorizontalAutoscaling;
  /**
   * A VerticalPodAutoscaler for this version (recommendations only, unless `updateMode` says
   * otherwise); its fields refine the ServiceWorkloads' `verticalAutoscaling`.
   * @default - the ServiceWorkloads' `verticalAutoscaling`
   */
  readonly verticalAutoscaling?: VerticalAutoscaling;
  /**
   * Directories the container writes to; each gets an `emptyDir` volume, since the root
   * filesystem is read-only.
   * @default ['/tmp']
   */
  readonly writableDirectories?: string[];
  /**
   * Mount the container's root filesystem read-only. Turn off only for images that write outside
   * `writableDirectories`.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /** Annotations on the pod template (e.g. `prometheus.io/scrape`). @default - none */
  readonly podAnnotations?: Record<string, string>;
  /**
   * The numeric user this version's containers run as (pod and container `runAsUser`). Root (0)
   * is refused: a rootless image runs as any UID its files allow.
   * @default - the ServiceWorkloads' `runAsUser` (1000)
   */
  readonly runAsUser?: number;
  /** The numeric group (`runAsGroup` and `fsGroup`). @default - the ServiceWorkloads' `runAsGroup` */
  readonly runAsGroup?: number;
  /**
   * Mount the ServiceAccount token into the pods; only for apps that call the Kubernetes API.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
  /** The path of this version's HTTP probes. @default - the ServiceWorkloads' `healthCheckPath` */
  readonly healthCheckPath?: string;
  /** The readiness probe's path and timing. @default - every 10 s, 3 failures, on `healthCheckPath` */
  readonly readinessProbe?: ProbeSettings;
  /** The startup probe's path and timing. @default - every 5 s, 12 failures (60 s), on `healthCheckPath` */
  readonly startupProbe?: ProbeSettings;
  /**
   * A liveness probe (which restarts the container when it fails), with these settings; `{}`
   * probes `healthCheckPath` every 10 s and restarts after 3 failures.
   * @default - no liveness probe
   */
  readonly livenessProbe?: ProbeSettings;
}

/** Props of {@link ServiceWorkloads}. */
export interface ServiceWorkloadsProps {
  /** The service whose workloads to create; its name, ports, labels and ServiceAccount are used. */
  readonly service: MeshService;
  /** One Deployment per version, in this order. At least one. */
  readonly versions: VersionWorkload[];
  /** Default requests and limits of every version. @default - see WorkloadResources */
  readonly resources?: WorkloadResources;
  /** Default replica count of every version; not with `autoscaling`. @default 1 */
  readonly replicas?: number;
  /**
   * A HorizontalPodAutoscaler (`autoscaling/v2`) per version's Deployment, named after it: 2 to
   * 10 pods at 60% of the CPU request by default. Versions with their own `replicas` keep a fixed
   * count.
   * @default - none: every version runs `replicas` pods
   */
  readonly autoscaling?: HorizontalAutoscaling;
  /**
   * A VerticalPodAutoscaler (`autoscaling.k8s.io/v1`) per version's Deployment, named after it,
   * recommending requests (`updateMode: "Off"`) unless told otherwise. It sizes what runs the
   * Deployment's pods: the Deployment, the Rollout of an Argo Rollouts canary, or Flagger's
   * `<deployment>-primary`. Needs the VPA CRD and controllers in the cluster.
   * @default - none
   */
  readonly verticalAutoscaling?: VerticalAutoscaling;
  /**
   * The numeric user (and group) the containers run as; never root.
   * @default 1000
   */
  readonly runAsUser?: number;
  /** The numeric group of every version (`runAsGroup` and `fsGroup`). @default - `runAsUser` */
  readonly runAsGroup?: number;
  /**
   * Create a Service per version (`<service>-<version>`, selecting app and version), which
   * Gateway API (GAMMA) and Linkerd routes forward to.
   * @default - true when the service's mesh routes with the Gateway API, false for Istio
   */
  readonly perVersionServices?: boolean;
  /**
   * How the mesh proxy is injected into the pods.
   * @default - SidecarInjection.ISTIO for Mesh.ISTIO, SidecarInjection.LINKERD for Mesh.LINKERD,
   * SidecarInjection.NONE for Mesh.GATEWAY_API and Mesh.CILIUM (set it when your GAMMA
   * implementation is Istio with sidecars)
   */
  readonly sidecarInjection?: SidecarInjection;
  /**
   * The path of the readiness and startup probes when the service's first port speaks HTTP
   * (HTTP, HTTP/2, gRPC-Web, HTTPS). gRPC ports are probed with Kubernetes' gRPC probe (the
   * grpc.health.v1 protocol) and TCP-like ports with a TCP connection; setting a path for those
   * is an error.
   * @default '/' for HTTP ports
   */
  readonly healthCheckPath?: string;
}

/** The label the address of a cdk8s-plus workload is recorded under; the selectors here use app/version instead. */
const CDK8S_ADDRESS_LABEL_PATH = '/spec/template/metadata/labels/cdk8s.io~1metadata.addr';

/**
 * The Kubernetes workloads of a {@link MeshService}, built with cdk8s-plus-27: its ServiceAccount,
 * its Service (ports named by protocol, with `appProtocol`), one Deployment per version
 * (`<service>-<version>` unless `deploymentName` says otherwise, pod labels app + version, non-root, read-only root filesystem, no
 * privilege escalation, all capabilities dropped, requests and limits, the mesh's injection
 * marker) and, for Gateway API routing, one Service per version.
 *
 * @example
 * const reviews = new MeshService(chart, 'reviews', { ports: [ServicePort.http(9080)], versions: ['v1', 'v2'] });
 * new ServiceWorkloads(chart, 'reviews-workloads', {
 *   service: reviews,
 *   versions: [
 *     { version: 'v1', image: 'docker.io/istio/examples-bookinfo-reviews-v1:1.20.3' },
 *     { version: 'v2', image: 'docker.io/istio/examples-bookinfo-reviews-v2:1.20.3' },
 *   ],
 * });
 */
export class ServiceWorkloads extends Construct {
  /** The service these workloads implement. */
  public readonly meshService: MeshService;
  /**
   * The ServiceAccount, as its Kubernetes object (an `ApiObject`, so that no cdk8s-plus type is
   * part of this API: users on another cdk8s-plus version, or none, are not tied to ours).
   */
  public readonly serviceAccount: ApiObject;
  /** The Kubernetes Service selecting every version. */
  public readonly service: ApiObject;
  /** How the proxy is injected. */
  public readonly sidecarInjection: SidecarInjection;
  /** True when per-version Services are created. */
  public readonly perVersionServices: boolean;
  private readonly _deployments = new Map<string, ApiObject>();
  private readonly _versionServices = new Map<string, ApiObject>();
  private readonly _horizontalAutoscalers = new Map<string, ApiObject>();
  private readonly _verticalAutoscalers = new Map<string, ApiObject>();

  public constructor(scope: Construct, id: string, props: ServiceWorkloadsProps) {
    super(scope, id);
    const s = props.service;
    if (!s || typeof s.version !== 'function' || typeof s.serviceName !== 'string') {
      fail(this, 'service', `must be a MeshService, got ${quote(s)}`, 'pass the MeshService these workloads implement');
    }
    this.meshService = s;
    if (!Array.isArray(props.versions) || props.versions.length === 0) {
      fail(this, 'versions', 'must list at least one version', `pass e.g. versions: [{ version: 'v1', image: '...' }]`);
    }
    const defaultReplicas = validatePositiveInt(this, 'replicas', props.replicas ?? 1, { max: 1000 });
    if (props.replicas !== undefined && props.autoscaling !== undefined) {
      fail(this, 'replicas', `(${quote(props.replicas)}) is set together with autoscaling, which decides the count`, 'drop replicas (the autoscaler keeps between minReplicas and maxReplicas pods), or drop autoscaling for a fixed count');
    }
    const runAsUser = validateId(this, 'runAsUser', props.runAsUser ?? 1000);
    const runAsGroup = validateId(this, 'runAsGroup', props.runAsGroup ?? runAsUser);
    this.sidecarInjection = props.sidecarInjection ?? defaultInjection(s.mesh);
    if (!Object.values(SidecarInjection).includes(this.sidecarInjection)) {
      fail(this, 'sidecarInjection', `is not a SidecarInjection, got ${quote(this.sidecarInjection)}`, 'use SidecarInjection.ISTIO, LINKERD or NONE');
    }
    this.perVersionServices = props.perVersionServices ?? s.mesh !== Mesh.ISTIO;
    const defaultResources = validateResources(this, 'resources', props.resources ?? {});
    workloadProbes(this, 'healthCheckPath', s.ports[0], props.healthCheckPath);

    const serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: s.serviceAccountName, namespace: s.namespace, labels: { account: s.serviceName } },
      automountToken: false,
    });
    this.serviceAccount = ApiObject.of(serviceAccount);
    // MeshService renders the Services when asked to (renderServices); otherwise they are rendered here, the same way
    this.service = s.kubeService ?? new MeshKubeService(this, 'Service', s);

    for (const [i, v] of props.versions.entries()) {
      const where = `versions[${i}]`;
      const version = s.version(v?.version, this, `${where}.version`);
      if (this._deployments.has(version.name)) fail(this, `${where}.version`, `repeats ${quote(version.name)}`, 'list each version once');
      const image = validateImage(this, `${where}.image`, v.image);
      const replicas = validatePositiveInt(this, `${where}.replicas`, v.replicas ?? defaultReplicas, { max: 1000 });
      const resources = validateResources(this, `${where}.resources`, { ...defaultResources, ...(v.resources ?? {}) });
      const autoscaling = resolveAutoscaling(this, where, {
        service: props.autoscaling, version: v.autoscaling, serviceVertical: props.verticalAutoscaling, versionVertical: v.verticalAutoscaling,
        versionReplicas: v.replicas, resources,
      });
      const env = validateEnv(this, `${where}.env`, v.env ?? {});
      const args = validateArgs(this, `${where}.args`, v.args);
      const dirs = validateDirectories(this, `${where}.writableDirectories`, v.writableDirectories ?? ['/tmp']);
      const podLabels = { ...version.podLabels };
      const podAnnotations = { ...(v.podAnnotations ?? {}) };
      if (this.sidecarInjection === SidecarInjection.ISTIO) podLabels['sidecar.istio.io/inject'] = 'true';
      if (this.sidecarInjection === SidecarInjection.LINKERD) podAnnotations['linkerd.io/inject'] = 'enabled';
      const name = chosenName(this, `${where}.deploymentName`, 'apps/Deployment', v.deploymentName, `${s.serviceName}-${version.name}`);
      s._declareDeployment(version.name, name, this, `${where}.deploymentName`);
      const user = validateId(this, `${where}.runAsUser`, v.runAsUser ?? runAsUser);
      const group = validateId(this, `${where}.runAsGroup`, v.runAsGroup ?? (v.runAsUser ?? runAsGroup));
      const automount = v.automountServiceAccountToken ?? false;
      if (typeof automount !== 'boolean') fail(this, `${where}.automountServiceAccountToken`, `must be true or false, got ${quote(automount)}`, 'pass true only for apps that call the Kubernetes API');
      const probes = workloadProbes(this, v.healthCheckPath !== undefined ? `${where}.healthCheckPath` : 'healthCheckPath', s.ports[0], v.healthCheckPath ?? props.healthCheckPath,
        { readiness: v.readinessProbe, startup: v.startupProbe, liveness: v.livenessProbe });
      for (const path of probes.httpPaths) declareProbePath(s, s.ports[0].port, path);

      const deployment = new kplus.Deployment(this, `Deployment-${version.name}`, {
        metadata: { name, namespace: s.namespace, labels: { ...version.podLabels } },
        replicas,
        select: false,
        podMetadata: { labels: podLabels, annotations: podAnnotations },
        serviceAccount,
        automountServiceAccountToken: automount,
        securityContext: { ensureNonRoot: true, user, group, fsGroup: group },
      });
      deployment.select(kplus.LabelSelector.of({ labels: { ...version.podLabels } }));
      const container = deployment.addContainer({
        name: s.serviceName,
        image,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        args,
        // several Service ports may target one container port: list it once, under the first one's name
        ports: s.ports.filter((p, i) => s.ports.findIndex((q) => q.targetPort === p.targetPort) === i).map((p) => ({ number: p.targetPort, name: p.name })),
        envVariables: Object.fromEntries(Object.entries(env).map(([k, val]) => [k, kplus.EnvValue.fromValue(val)])),
        securityContext: {
          ensureNonRoot: true,
          user,
          group,
          readOnlyRootFilesystem: v.readOnlyRootFilesystem ?? true,
          allowPrivilegeEscalation: false,
          privileged: false,
          // cdk8s-plus-27's Capability enum has no ALL; Kubernetes takes the literal "ALL".
          capabilities: { drop: ['ALL' as kplus.Capability] },
        },
        resources: {
          cpu: { request: kplus.Cpu.millis(resources.cpuRequestMillis), limit: kplus.Cpu.millis(resources.cpuLimitMillis) },
          memory: { request: resources.memoryRequest, limit: resources.memoryLimit },
        },
        readiness: probes.readiness,
        startup: probes.startup,
        liveness: probes.liveness,
      });
      for (const dir of dirs) {
        const volume = kplus.Volume.fromEmptyDir(this, `${name}-${dir.name}`, dir.name);
        container.mount(dir.path, volume);
      }
      ApiObject.of(deployment).addJsonPatch(JsonPatch.remove(CDK8S_ADDRESS_LABEL_PATH));
      useRuntimeDefaultSeccomp(deployment);
      if (probes.grpc) {
        for (const [key, probe] of Object.entries(probes.grpc)) {
          ApiObject.of(deployment).addJsonPatch(JsonPatch.add(`/spec/template/spec/containers/0/${key}`, probe));
        }
      }
      this._deployments.set(version.name, ApiObject.of(deployment));
      if (autoscaling.horizontal) s._scaling.declareAutoscaled(name, this, `${where}.autoscaling`);
      const scaleTarget = () => s._scaling.scaleTarget(name);
      const podOwner = () => s._scaling.podOwner(name);
      const scalers = addAutoscalers(this, version.name, { deployment, name, namespace: s.namespace, labels: { ...version.podLabels }, scaleTarget, podOwner }, autoscaling);
      if (scalers.horizontal) this._horizontalAutoscalers.set(version.name, scalers.horizontal);
      if (scalers.vertical) this._verticalAutoscalers.set(version.name, scalers.vertical);

      const versionService = s.versionKubeService(version.name)
        ?? (this.perVersionServices ? new MeshKubeService(this, `Service-${version.name}`, s, version) : undefined);
      if (versionService) this._versionServices.set(version.name, versionService);
    }
  }

  /** The Deployment of a version, as its Kubernetes object (see {@link serviceAccount}). */
  public deployment(version: string): ApiObject {
    const d = this._deployments.get(version);
    if (!d) fail(this, 'version', `${quote(version)} has no workload here (versions: ${[...this._deployments.keys()].join(', ')})`, 'use one of the versions passed to ServiceWorkloads');
    return d;
  }

  /** The per-version Service of a version, when per-version Services are created. */
  public versionService(version: string): ApiObject | undefined {
    return this._versionServices.get(version);
  }

  /** The HorizontalPodAutoscaler of a version, when it is autoscaled. */
  public horizontalAutoscaler(version: string): ApiObject | undefined {
    return this._horizontalAutoscalers.get(version);
  }

  /** The VerticalPodAutoscaler of a version, when it has one. */
  public verticalAutoscaler(version: string): ApiObject | undefined {
    return this._verticalAutoscalers.get(version);
  }

  /** The versions with a Deployment, in order. */
  public get versions(): string[] {
    return [...this._deployments.keys()];
  }
}

function defaultInjection(mesh: Mesh): SidecarInjection {
  switch (mesh) {
    case Mesh.ISTIO: return SidecarInjection.ISTIO;
    case Mesh.LINKERD: return SidecarInjection.LINKERD;
    default: return SidecarInjection.NONE;
  }
}

/** A numeric user or group id: never 0 (root), which Pod Security `restricted` refuses. */
function validateId(scope: Construct, prop: string, id: number): number {
  if (id === 0) fail(scope, prop, 'is 0 (root), which the pods must not run as', 'pick a non-root id the image allows, e.g. 1000 (or the UID in the image\'s USER line)');
  return validatePositiveInt(scope, prop, id, { max: 2_147_483_647 });
}
