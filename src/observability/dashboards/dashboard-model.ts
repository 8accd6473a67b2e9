import { createHash } from 'crypto';
import { fail, quote } from '../../core/errors';

/** The unit of a panel's values (Grafana unit ids). */
export enum PanelUnit {
  REQUESTS_PER_SECOND = 'reqps',
  PERCENT_UNIT = 'percentunit',
  MILLISECONDS = 'ms',
  SHORT = 'short',
}

/** A query of a panel. */
export interface PanelQuery {
  /** The PromQL expression; `$__rate_interval` is Grafana's rate window. */
  readonly expr: string;
  /** The legend, e.g. `{{destination_version}}`. @default - Grafana's default */
  readonly legend?: string;
}

/** A time-series panel. */
export interface TimeSeriesPanel {
  readonly title: string;
  readonly queries: PanelQuery[];
  /** @default PanelUnit.SHORT */
  readonly unit?: PanelUnit;
  /** @default - none */
  readonly description?: string;
  /** Width in grid columns (1-24). @default 12 */
  readonly width?: number;
  /** Height in grid rows. @default 8 */
  readonly height?: number;
}

/** Props of a {@link DashboardModel}. */
export interface DashboardModelProps {
  /** Grafana's stable id (at most 40 letters, digits, '-' and '_'). */
  readonly uid: string;
  readonly title: string;
  /** @default - none */
  readonly tags?: string[];
  /** @default - none */
  readonly description?: string;
}

/** The Prometheus data source template variable every panel uses. */
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/**
 * A Grafana dashboard: time-series panels over a Prometheus data source chosen with the
 * `datasource` template variable. `toJson()` is deterministic (stable ids and layout, no
 * timestamps) and importable into Grafana.
 */
export class DashboardModel {
  /** Makes a uid from free text: kept when short enough, otherwise shortened with a stable hash. */
  public static uidFor(text: string): string {
    const clean = text.toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
    if (clean.length <= 40) return clean;
    return `${clean.slice(0, 27)}-${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
  }

  public readonly uid: string;
  public readonly title: string;
  private readonly tags: string[];
  private readonly description?: string;
  private readonly panels: TimeSeriesPanel[] = [];

  public constructor(props: DashboardModelProps) {
    const where = 'DashboardModel';
    if (typeof props.uid !== 'string' || !/^[a-zA-Z0-9_-]{1,40}$/.test(props.uid)) fail(where, 'uid', `must be 1-40 letters, digits, '-' or '_', got ${quote(props.uid)}`, 'use DashboardModel.uidFor(text)');
    if (typeof props.title !== 'string' || props.title.trim() === '') fail(where, 'title', `must not be empty, got ${quote(props.title)}`, 'give the dashboard a title');
    this.uid = props.uid;
    this.title = props.title;
    this.tags = [...(props.tags ?? [])];
    this.description = props.description;
  }

  /** Appends a panel; panels flow left to right, top to bottom. */
  public addPanel(panel: TimeSeriesPanel): void {
    const where = `DashboardModel ${this.uid}`;
    if (!panel.title) fail(where, 'panel title', 'must not be empty', 'give the panel a title');
    if (!Array.isArray(panel.queries) || panel.queries.length === 0) fail(where, `panel ${quote(panel.title)} queries`, 'must list at least one query', 'add a PromQL query');
    if (panel.queries.length > 26) fail(where, `panel ${quote(panel.title)} queries`, `has ${panel.queries.length} queries, more than the 26 refIds A-Z`, 'split the panel');
    for (const q of panel.queries) if (typeof q.expr !== 'string' || q.expr.trim() === '') fail(where, `panel ${quote(panel.title)} query`, `must have an expr, got ${quote(q.expr)}`, 'pass a PromQL expression');
    const w = panel.width ?? 12;
    if (!Number.isInteger(w) || w < 1 || w > 24) fail(where, `panel ${quote(panel.title)} width`, `must be 1-24, got ${quote(w)}`, 'use e.g. 12 for half the width');
    this.panels.push({ ...panel, queries: [...panel.queries] });
  }

  /** The panel titles, in order. */
  public get panelTitles(): string[] {
    return this.panels.map((p) => p.title);
  }

  /** Every query expression, in order (for checks). */
  public get expressions(): string[] {
    return this.panels.flatMap((p) => p.queries.map((q) => q.expr));
  }

  /** The dashboard JSON model. */
  public toJson(): Record<string, unknown> {
    let x = 0;
    let y = 0;
    let rowHeight = 0;
    const panels = this.panels.map((p, i) => {
      const w = p.width ?? 12;
      const h = p.height ?? 8;
      if (x + w > 24) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      const gridPos = { h, w, x, y };
      x += w;
      rowHeight = Math.max(rowHeight, h);
      return {
        id: i + 1,
        type: 'timeseries',
        title: p.title,
        ...(p.description ? { description: p.description } : {}),
        datasource: DATASOURCE,
        gridPos,
        fieldConfig: { defaults: { unit: p.unit ?? PanelUnit.SHORT }, overrides: [] },
        options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
        targets: p.queries.map((q, j) => ({
          refId: String.fromCharCode(65 + j),
          datasource: DATASOURCE,
          expr: q.expr,
          ...(q.legend ? { legendFormat: q.legend } : {}),
        })),
      };
    });
    return {
      uid: this.uid,
      title: this.title,
      ...(this.description ? { description: this.description } : {}),
      tags: this.tags,
      editable: true,
      graphTooltip: 1,
      schemaVersion: 39,
      version: 1,
      time: { from: 'now-6h', to: 'now' },
      refresh: '30s',
      timezone: 'browser',
      annotations: { list: [] },
      templating: {
        list: [{ name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0, refresh: 1, options: [], regex: '' }],
      },
      panels,
    };
  }
}

/**
 * The uid of a service's dashboard (`serviceDashboard`).
 * @internal
 */
export function serviceDashboardUid(namespace: string, serviceName: string): string {
  return DashboardModel.uidFor(`mesh-${namespace}-${serviceName}`);
}

/**
 * The default name of a dashboard's ConfigMap (`GrafanaDashboard`).
 * @internal
 */
export function dashboardConfigMapName(uid: string): string {
  return `grafana-dashboard-${uid}`;
}
