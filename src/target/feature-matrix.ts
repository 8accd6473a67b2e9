import { Mesh } from '../core/mesh';
import { CAPABILITIES, Capability } from './capabilities';
import { introducedIn, missing } from './feature-support';
import { Feature, FEATURES, LINKERD_GATEWAY_API, LINKERD_GATEWAY_API_SOURCE } from './features';
import { MeshTarget } from './mesh-target';
import { GatewayApiChannel, GatewayApiVersion, LinkerdVersion } from './versions';

// The docs' matrices, generated from the feature table (features.ts) and the capability rows
// (capabilities.ts) by `npm run docs:matrices`; a test checks the committed docs are current.

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: string[][]) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

/** The capability matrix (README; its traffic rows in docs/traffic.md): what each intent becomes on each mesh. */
export function capabilityMatrix(which: (c: Capability) => boolean = () => true): string {
  const rows = CAPABILITIES.filter(which).map((c) => [c.intent, c.istio, c.gatewayApi, c.linkerd, c.cilium,
    (c.features ?? []).filter((f) => f.gatewayApi).map((f) => `${f.title}: ${introducedIn(f).replace(/^in the /, '')}`).join('; ') || '—']);
  return table(['intent', 'Istio', 'Gateway API (GAMMA)', 'Linkerd', 'Cilium', 'Gateway API release needed'], rows);
}

function gatewayApiCell(f: Feature, v: GatewayApiVersion): string {
  const has = (channel: GatewayApiChannel) => missing(f, MeshTarget.of({ gatewayApi: v, gatewayApiChannel: channel }), Mesh.GATEWAY_API) === undefined;
  if (has(GatewayApiChannel.STANDARD)) return 'yes';
  return has(GatewayApiChannel.EXPERIMENTAL) ? 'experimental' : '—';
}

function linkerdCell(f: Feature): string {
  if (!f.readByLinkerd) return 'as the Gateway API';
  const has = LinkerdVersion.SUPPORTED.filter((v) => missing(f, MeshTarget.of({ linkerd: v }), Mesh.LINKERD) === undefined);
  if (has.length === LinkerdVersion.SUPPORTED.length) return 'yes';
  return has.length ? has.map(String).join(', ') : 'no';
}

/** docs/versions.md: each version-dependent feature × release, and Linkerd's Gateway API ceiling. */
export function versionMatrix(): string {
  const head = ['feature', 'field', ...GatewayApiVersion.SUPPORTED.map((v) => `Gateway API ${v}`), 'Istio', 'Linkerd 2.18–2.20', 'when the target lacks it'];
  const rows = FEATURES.map((f) => [f.title, `\`${f.field}\``, ...GatewayApiVersion.SUPPORTED.map((v) => gatewayApiCell(f, v)),
    f.istio ? `from ${f.istio}` : 'any', linkerdCell(f), f.otherwise]);
  const linkerd = table(['Linkerd', 'HTTPRoute fields of Gateway API'], LinkerdVersion.SUPPORTED.map((v) => [String(v), `up to ${LINKERD_GATEWAY_API.get(v)} (standard)`]));
  const sources = FEATURES.map((f) => `- ${f.title}: ${f.source}`).join('\n');
  return [
    '"yes": in the standard channel of that release; "experimental": only with the experimental channel (`gatewayApiChannel: GatewayApiChannel.EXPERIMENTAL`); "—": in neither.',
    '',
    table(head, rows),
    '',
    linkerd,
    '',
    `Sources:\n${sources}\n- Linkerd: ${LINKERD_GATEWAY_API_SOURCE}`,
  ].join('\n');
}

/** The generated blocks of the docs, by file and marker name. */
export const GENERATED_DOCS: Array<{ file: string; marker: string; render: () => string }> = [
  { file: 'README.md', marker: 'capability-matrix', render: capabilityMatrix },
  { file: 'docs/traffic.md', marker: 'capability-matrix-traffic', render: () => capabilityMatrix((c) => c.traffic === true) },
  { file: 'docs/versions.md', marker: 'version-matrix', render: versionMatrix },
];

/** Replaces the block between `<!-- generated:<marker> -->` and `<!-- /generated:<marker> -->`. */
export function replaceGenerated(text: string, marker: string, content: string): string {
  const start = `<!-- generated:${marker} (npm run docs:matrices) -->`;
  const end = `<!-- /generated:${marker} -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`no ${start} ... ${end} block`);
  return `${text.slice(0, i + start.length)}\n${content}\n${text.slice(j)}`;
}
