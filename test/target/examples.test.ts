// Every example rendered for older and newer targets: what the target has renders and validates
// against that release's CRDs (kube-validate on ../shared/crd-versions, when present; the npm
// validators always); what it lacks fails at synth naming the release that introduced it.
// CI (.ci/run) validates the full matrix of targets for bookinfo (npm run synth:targets).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { createApp as bookinfo } from '../../examples/bookinfo/main';
import { createApp as ingressEgress } from '../../examples/ingress-egress/main';
import { createApp as observability } from '../../examples/observability/main';
import { createApp as resilience } from '../../examples/resilience/main';
import { createApp as security } from '../../examples/security/main';
import { createApp as traffic } from '../../examples/traffic/main';
import { sharedDir, validateTargetDirs, writeTargetManifest } from '../../scripts/target-crds';
import { MeshTarget } from '../../src/target/mesh-target';
import { GatewayApiChannel, GatewayApiVersion, IstioVersion, LinkerdVersion } from '../../src/target/versions';
import { SchemaBatch } from '../support/schema';

type CreateApp = (outdir: string, target?: MeshTarget) => App;
const EXAMPLES: Record<string, CreateApp> = { bookinfo, 'ingress-egress': ingressEgress, observability, resilience, security, traffic };

const OLDEST = MeshTarget.of({ istio: IstioVersion.V1_28, gatewayApi: GatewayApiVersion.V1_2, linkerd: LinkerdVersion.V2_18 });
const gw = (v: GatewayApiVersion, channel = GatewayApiChannel.STANDARD) => MeshTarget.of({ gatewayApi: v, gatewayApiChannel: channel });
/** Each Gateway API release (standard), the oldest corner and the newest: one axis at a time. */
const TARGETS = [OLDEST, ...GatewayApiVersion.SUPPORTED.map((v) => gw(v)), gw(GatewayApiVersion.V1_2, GatewayApiChannel.EXPERIMENTAL)];

/** The examples that use a feature older targets lack, and the release their error must name. */
const REFUSED: Array<{ example: string; when: (t: MeshTarget) => boolean; error: RegExp }> = [
  { example: 'traffic', when: (t) => t.gatewayApiChannel === GatewayApiChannel.STANDARD && !t.gatewayApi.isAtLeast(GatewayApiVersion.V1_3), error: /mirror\.percent needs partial request mirroring.*standard channel from v1\.3/ },
  { example: 'ingress-egress', when: (t) => !t.gatewayApi.isAtLeast(t.gatewayApiChannel === GatewayApiChannel.STANDARD ? GatewayApiVersion.V1_5 : GatewayApiVersion.V1_4), error: /tls needs client certificate validation on a Gateway.*standard channel from v1\.5/ },
];

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'targets-'));
const rendered: string[] = [];
const schemas = new SchemaBatch();

describe.each(Object.keys(EXAMPLES))('examples/%s', (name) => {
  test.each(TARGETS.map((t) => [t.id, t] as const))('for %s', (_id, target) => {
    const outdir = path.join(root, name, target.id);
    const refused = REFUSED.find((r) => r.example === name && r.when(target));
    if (refused) {
      expect(() => EXAMPLES[name](outdir, target).synth()).toThrow(refused.error);
      return;
    }
    const app = EXAMPLES[name](outdir, target);
    app.synth();
    writeTargetManifest(app, outdir);
    rendered.push(outdir);
    if (name === 'bookinfo') for (const c of app.charts) schemas.add(`${target.id} ${c.node.id}`, Testing.synth(c));
  });
});

test('bookinfo renders for every target tested here (its charts use no feature a supported release lacks)', () => {
  expect(rendered.filter((d) => d.includes(`${path.sep}bookinfo${path.sep}`))).toHaveLength(TARGETS.length);
});

test('the npm schema validators accept bookinfo for every target', () => {
  expect(schemas.problems()).toEqual([]);
});

const shared = sharedDir();
// The oldest and the newest targets here (a kube-validate run per CRD folder costs seconds); CI
// validates every target.
(shared ? test : test.skip)('the output for the oldest and the newest target validates against their CRDs (kube-validate, ../shared/crd-versions)', () => {
  const dirs = rendered.filter((d) => [OLDEST.id, MeshTarget.LATEST.id].includes(path.basename(d)));
  const r = validateTargetDirs(dirs, shared!);
  expect(r.problems).toEqual([]);
  expect(r.folders).toBe(dirs.length);
  expect(r.folders).toBeGreaterThanOrEqual(10);
}, 120_000);
