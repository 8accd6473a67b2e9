import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { fail, quote } from '../../core/errors';
import { MeshResource, MeshResourceProps } from '../../core/resource';
import { DashboardModel } from './dashboard-model';
import { validateLabels } from '../../core/labels';

/** Props of a {@link GrafanaDashboard}. */
export interface GrafanaDashboardProps extends MeshResourceProps {
  readonly dashboard: DashboardModel;
  /**
   * The label the Grafana dashboard sidecar watches for, as `[key, value]`.
   * @default ['grafana_dashboard', '1']
   */
  readonly sidecarLabel?: [string, string];
}

/**
 * A Grafana dashboard delivered as a ConfigMap for Grafana's dashboard sidecar (the Grafana and
 * kube-prometheus-stack Helm charts): labelled `grafana_dashboard: "1"`, with the dashboard JSON
 * under `<uid>.json`.
 */
export class GrafanaDashboard extends MeshResource {
  public readonly apiObject: ApiObject;
  public readonly dashboard: DashboardModel;

  public constructor(scope: Construct, id: string, props: GrafanaDashboardProps) {
    super(scope, id, { ...props, name: props.name ?? `grafana-dashboard-${props.dashboard?.uid}` });
    if (!(props.dashboard instanceof DashboardModel)) fail(this, 'dashboard', `must be a DashboardModel, got ${quote(props.dashboard)}`, 'use serviceDashboard(...) or new DashboardModel(...)');
    this.dashboard = props.dashboard;
    const [key, value] = props.sidecarLabel ?? ['grafana_dashboard', '1'];
    if (!Array.isArray(props.sidecarLabel ?? []) || typeof key !== 'string') {
      fail(this, 'sidecarLabel', `must be a [label key, value] pair, got ${quote(props.sidecarLabel)}`, 'pass e.g. ["grafana_dashboard", "1"]');
    }
    validateLabels(this, 'sidecarLabel', { [key]: value });
    const json = JSON.stringify(this.dashboard.toJson(), null, 2);
    if (Buffer.byteLength(json) > 900 * 1024) fail(this, 'dashboard', `JSON is ${Buffer.byteLength(json)} bytes, too close to the 1 MiB ConfigMap limit`, 'split the dashboard');
    const meta = this.metadata(props);
    this.apiObject = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { ...meta, labels: { ...(meta.labels ?? {}), [key]: value } },
      data: { [`${this.dashboard.uid}.json`]: json },
    });
  }
}
