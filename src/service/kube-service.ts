import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { MeshService } from './mesh-service';
import type { ServiceVersion } from './service-version';

/**
 * The Kubernetes Service of a MeshService (the main one, or a version's when `version` is given):
 * the MeshService's ports with names and `appProtocol`, its selector (plus the version's labels),
 * its `serviceLabels` (and, on the main one, its `intentServiceLabels`), and its annotations. Labels and annotations are read at synth, so intents
 * attached after the Service was created still reach it. Intent annotations (Linkerd failure
 * accrual, retries) go on the main Service only; a version's Service gets the user's annotations.
 * A plain `ApiObject`, so that rendering a Service loads no cdk8s-plus code.
 * @internal
 */
export class MeshKubeService extends ApiObject {
  public constructor(scope: Construct, id: string, private readonly meshService: MeshService, private readonly meshVersion?: ServiceVersion) {
    super(scope, id, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: meshVersion?.serviceName ?? meshService.serviceName, namespace: meshService.namespace },
    });
  }

  public toJson(): any {
    const s = this.meshService;
    const v = this.meshVersion;
    const name = v?.serviceName ?? s.serviceName;
    const json = super.toJson();
    // Annotations added on the object itself (ArgoCdSyncWaves, escape hatches) are kept.
    const annotations = { ...json.metadata.annotations, ...(v ? s._userServiceAnnotations : s.serviceAnnotations) };
    const metadata: Record<string, unknown> = {
      ...json.metadata,
      labels: { ...(v ? v.podLabels : s.selector), service: name, ...s.serviceLabels, ...(v ? {} : s.intentServiceLabels) },
    };
    if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
    return {
      ...json,
      metadata,
      spec: {
        ports: s.ports.map((p) => ({ appProtocol: p.protocol, name: p.name, port: p.port, targetPort: p.targetPort })),
        selector: { ...(v ? v.podLabels : s.selector) },
      },
    };
  }
}
