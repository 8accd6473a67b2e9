import { Chart, Testing } from 'cdk8s';
import { Mesh } from '../../src/core/mesh';
import { MeshService, MeshServiceProps } from '../../src/service/mesh-service';
import { ServicePort } from '../../src/service/service-port';
import { CanaryService } from '../../src/patterns/canary-service';
import { meshChart } from '../support/charts';
import { Caller } from '../../src/security/caller';
import { ServiceAuthorization } from '../../src/security/service-authorization';

// Names you choose (issue 12): every object the library renders can take a name the user chose,
// and the objects that refer to it follow. One row per object kind and construct: build the
// construct with a chosen name, then find the object by kind and name, and every reference to it.

/** A reference to the chosen name, found in the rendered objects. */
export interface Reference {
  readonly what: string;
  readonly values: (objects: any[]) => unknown[];
}

export interface Row {
  readonly construct: string;
  readonly prop: string;
  readonly mesh: Mesh;
  readonly kind: string;
  readonly name: string;
  readonly build: (chart: Chart) => void;
  readonly references?: Reference[];
}

export function service(chart: Chart, id: string, extra: Partial<MeshServiceProps> = {}): MeshService {
  return new MeshService(chart, id, { ports: [ServicePort.http(9080)], versions: ['v1', 'v2'], serviceAccountName: `bookinfo-${id}`, ...extra });
}

export function canary(chart: Chart, s: MeshService): void {
  new CanaryService(chart, `${s.node.id}-canary`, { service: s, stableVersion: 'v1', canaryVersion: 'v2', stage: 2 });
}

export const of = (objects: any[], kind: string) => objects.filter((o) => o.kind === kind);

export const names = (objects: any[], kind: string) => of(objects, kind).map((o) => o.metadata.name);

/** reviews, with the chosen names, called by productpage (whose names are `callerNames`). */
export function authorize(c: Chart, names: MeshServiceProps['names'], callerNames: MeshServiceProps['names'] = {}): void {
  const reviews = service(c, 'reviews', { names });
  const productpage = service(c, 'productpage', { names: callerNames });
  new ServiceAuthorization(c, 'authz').allow({ from: [Caller.service(productpage)], to: reviews });
}

export function checkRow(row: Row): void {
  const chart = meshChart(row.mesh);
  row.build(chart);
  const objects = Testing.synth(chart);
  const named = objects.filter((o) => o.kind === row.kind && o.metadata.name === row.name);
  expect(named).toHaveLength(1);
  for (const ref of row.references ?? []) {
    const values = ref.values(objects);
    expect({ what: ref.what, found: values.includes(row.name) }).toEqual({ what: ref.what, found: true });
  }
}

/** One test per row, titled `<construct> <prop> → <kind> on <mesh>`. */
export function testRows(rows: Row[]): void {
  test.each(rows.map((r) => [`${r.construct} ${r.prop} → ${r.kind} on ${r.mesh}`, r] as const))('%s', (_, row) => checkRow(row));
}

