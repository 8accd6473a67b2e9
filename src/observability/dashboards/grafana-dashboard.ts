import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { fail, quote } from '../../core/errors';
import { MeshResource, MeshResourceProps } from '../../core/resource';
import { DashboardModel, dashboardConfigMapName } from './dashboard-model';
import { validateLabels } from '../../core/labels';

/** The label Grafana's dashboard sidecar watches for (its `sidecar.dashboards.label` / `labelValue`). */
export interface DashboardSidecarLabel {
  /** The label key, e.g. `grafana_dashboard`. */
  readonly key: string;
  /** The label value, e.g. `1`. */
  readonly value: string;
}

/** Props of a {@link GrafanaDashboard}. */
export interface GrafanaDashboardProps extends MeshResourceProps {
  readonly dashboard: DashboardModel;
  /**
   * The label the Grafana dashboard sidecar watches for.
   * @default { key: 'grafana_dashboard', value: '1' }
   */
  readonly sidecar?: DashboardSidecarLabel;
  /**
   * The label the Grafana dashboard sidecar watches for, as `[key, value]`.
   * @default ['grafana_dashboard', '1']
   * @deprecated use `sidecar: { key, value }` (jsii has no tuples)
   * @jsii ignore
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
    super(scope, id, { ...props, name: props.name ?? dashboardConfigMapName(props.dashboard?.uid) });
    if (!(props.dashboard instanceof DashboardModel)) fail(this, 'dashboard', `must be a DashboardModel, got ${quote(props.dashboard)}`, 'use serviceDashboard(...) or new DashboardModel(...)');
    this.dashboard = props.dashboard;
    const { key, value, prop } = sidecarLabelOf(this, props);
    validateLabels(this, prop, { [key]: value });
    const json = JSON.stringify(this.dashboard.toJson(), null, 2);
    if (Buffer.byteLength(json) > 900 * 1024) fail(this, 'dashboard', `JSON is ${Buffer.byteLength(json)} bytes, too close to the 1 MiB ConfigMap limit`, 'split the dashboard');
    const meta = this.metadata(props);
    this.apiObject = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { ...meta, labels: { ...(meta.labels ?? {}), [key]: value } },
      data: { [`${this.dashboard.uid}.json`]: json },
    });
  }
}

/** The sidecar label of a dashboard's props, from `sidecar` or the deprecated `sidecarLabel` tuple. */
function sidecarLabelOf(scope: Construct, props: GrafanaDashboardProps): { key: string; value: string; prop: string } {
  if (props.sidecar !== undefined && props.sidecarLabel !== undefined) {
    fail(scope, 'sidecar', 'is set together with the deprecated sidecarLabel', 'set only sidecar: { key, value }');
  }
  if (props.sidecarLabel !== undefined) {
    const [key, value] = Array.isArray(props.sidecarLabel) ? props.sidecarLabel : [];
    if (typeof key !== 'string') fail(scope, 'sidecarLabel', `must be a [label key, value] pair, got ${quote(props.sidecarLabel)}`, 'pass e.g. ["grafana_dashboard", "1"]');
    return { key, value: value as string, prop: 'sidecarLabel' };
  }
  const sidecar = props.sidecar ?? { key: 'grafana_dashboard', value: '1' };
  if (typeof sidecar !== 'object' || sidecar === null || typeof sidecar.key !== 'string') {
    fail(scope, 'sidecar', `must be a { key, value } label, got ${quote(sidecar)}`, 'pass e.g. { key: "grafana_dashboard", value: "1" }');
  }
  return { key: sidecar.key, value: sidecar.value, prop: 'sidecar' };
}
