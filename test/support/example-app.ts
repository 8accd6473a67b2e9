import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';

/** An example app built into a temp dir, with its charts synthesized once and lookups that say what is missing. */
export class ExampleApp {
  public readonly outdir: string;
  public readonly app: App;
  /** The synthesized objects of each chart, by chart id. */
  public readonly charts: Map<string, any[]>;

  public constructor(name: string, createApp: (outdir: string) => App) {
    this.outdir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
    this.app = createApp(this.outdir);
    this.charts = new Map(this.app.charts.map((c: Chart) => [c.node.id, Testing.synth(c)]));
  }

  /** The objects of a chart; throws naming the charts that exist. */
  public chart(name: string): any[] {
    const objects = this.charts.get(name);
    if (!objects) throw new Error(`no chart ${name} (charts: ${[...this.charts.keys()].join(', ')})`);
    return objects;
  }

  /** One object of a chart; throws naming the objects the chart has. */
  public get(chartName: string, kind: string, name: string): any {
    const o = this.chart(chartName).find((x) => x.kind === kind && x.metadata.name === name);
    if (!o) throw new Error(`${chartName}: no ${kind}/${name} (has ${this.ids(chartName).join(', ')})`);
    return o;
  }

  /** `Kind/name` of every object of a chart, sorted. */
  public ids(chartName: string): string[] {
    return this.chart(chartName).map((o) => `${o.kind}/${o.metadata.name}`).sort();
  }
}
