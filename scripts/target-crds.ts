// Which CRDs a target's output must validate against, and kube-validate runs over folders of
// output that record their target in target.json (written by `npm run synth`). Used by CI
// (scripts/validate-targets.ts) and by the per-target tests; both skip when ../shared is absent.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Names } from 'cdk8s';
import { parseAllDocuments, stringify } from 'yaml';
import { meshOf } from '../src/core/mesh';
import { MeshTarget, targetOf } from '../src/target/mesh-target';
import { GatewayApiChannel, GatewayApiVersion, IstioVersion, LinkerdVersion } from '../src/target/versions';

/** The target an output folder was rendered for, and the mesh of each of its files. */
export interface TargetManifest {
  readonly target: string;
  readonly istio: string;
  readonly gatewayApi: string;
  readonly gatewayApiChannel: string;
  readonly linkerd: string;
  /** `<file>: <mesh>` for each chart's YAML file. */
  readonly files: Record<string, string>;
}

export const MANIFEST_FILE = 'target.json';

/** The CRD folders without versions (../shared/crds/<folder>) by the API group they define. */
const UNVERSIONED: Record<string, string[]> = {
  'monitoring.coreos.com': ['prometheus-operator'],
  'cilium.io': ['cilium'],
  'argoproj.io': ['argo-cd', 'argo-rollouts'],
  'flagger.app': ['flagger'],
  'split.smi-spec.io': ['smi'],
};

/** The Argo CD release whose CRDs scripts/fetch-argo-cd-crds.sh caches (it has ApplicationSet, which ../shared/crds/argo-cd lacks). */
export const ARGO_CD_CRDS_VERSION = 'v3.6.1';

/**
 * The folder of Argo CD's pinned CRDs (Application, AppProject, ApplicationSet) written by
 * scripts/fetch-argo-cd-crds.sh, or undefined when it has not run on this machine.
 */
export function argoCdCrdsDir(): string | undefined {
  const cache = process.env.CDK8S_MESH_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'cdk8s-mesh');
  const dir = process.env.CDK8S_MESH_ARGO_CD_CRDS ?? path.join(cache, 'argo-cd-crds', ARGO_CD_CRDS_VERSION);
  return fs.existsSync(path.join(dir, 'applicationset-crd.yaml')) ? dir : undefined;
}

/** The shared folder with crds/, crd-versions/ and tools/, or undefined when it is not beside this clone. */
export function sharedDir(): string | undefined {
  const candidates = [process.env.CDK8S_MESH_SHARED, path.resolve(__dirname, '..', '..', '..', 'shared'), path.resolve(__dirname, '..', '..', 'shared'), '/work/shared'];
  return candidates.find((d) => d && fs.existsSync(path.join(d, 'crd-versions')) && fs.existsSync(path.join(d, 'tools', 'kube-validate', 'kube-validate')));
}

/** Every supported target: each Istio × Gateway API (standard) × Linkerd release, plus each Gateway API experimental release. */
export function allTargets(): MeshTarget[] {
  const standard = IstioVersion.SUPPORTED.flatMap((istio) => GatewayApiVersion.SUPPORTED.flatMap((gatewayApi) =>
    LinkerdVersion.SUPPORTED.map((linkerd) => MeshTarget.of({ istio, gatewayApi, linkerd }))));
  const experimental = GatewayApiVersion.SUPPORTED.map((gatewayApi) => MeshTarget.of({ gatewayApi, gatewayApiChannel: GatewayApiChannel.EXPERIMENTAL }));
  return [...standard, ...experimental];
}

/** Writes target.json beside a synthesized app's YAML files. */
export function writeTargetManifest(app: App, outdir: string): TargetManifest {
  const t = targetOf(app);
  const files: Record<string, string> = {};
  for (const chart of app.charts) files[`${Names.toDnsLabel(chart as Chart)}${app.outputFileExtension}`] = meshOf(chart);
  const manifest: TargetManifest = {
    target: t.id, istio: String(t.istio), gatewayApi: String(t.gatewayApi), gatewayApiChannel: t.gatewayApiChannel, linkerd: String(t.linkerd), files,
  };
  fs.writeFileSync(path.join(outdir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** The result of validating output folders against their targets' CRDs. */
export interface TargetValidation {
  /** Output folders validated. */
  readonly folders: number;
  /** Distinct objects validated (the same object rendered for several targets counts once per CRD set). */
  readonly objects: number;
  /** kube-validate runs, one per set of CRD folders. */
  readonly runs: number;
  /** `INVALID <folder>/<file> (<target>) <Kind>/<name>` lines with kube-validate's reasons. */
  readonly problems: string[];
}

/**
 * Validates output folders, each against the CRDs of the target its target.json names: Istio
 * objects against that Istio release, Gateway API objects against that release and channel, Linkerd
 * policy against that Linkerd release, and the HTTPRoutes of Linkerd charts once more against the
 * HTTPRoute CRD Linkerd bundles (the fields Linkerd knows). Objects are grouped by the CRD folders
 * they need and deduplicated, so that a matrix of targets costs one kube-validate run per folder
 * (loading a folder costs about a second) rather than one per target.
 */
export function validateTargetDirs(dirs: string[], shared: string): TargetValidation {
  const versions = path.join(shared, 'crd-versions');
  const buckets = new Map<string, Map<string, string[]>>(); // CRD folders → object JSON → where it was rendered
  const add = (crds: string[], object: unknown, where: string) => {
    const key = crds.join('\n');
    const objects = buckets.get(key) ?? new Map<string, string[]>();
    buckets.set(key, objects);
    const json = JSON.stringify(object);
    objects.set(json, [...(objects.get(json) ?? []), where]);
  };
  for (const dir of dirs) {
    const m = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as TargetManifest;
    for (const [file, mesh] of Object.entries(m.files)) {
      const full = path.join(dir, file);
      if (!fs.existsSync(full)) throw new Error(`${dir}/${MANIFEST_FILE} lists ${file}, which is missing`);
      for (const doc of parseAllDocuments(fs.readFileSync(full, 'utf8'))) {
        const o = doc.toJSON();
        if (!o) continue;
        const where = `${dir}/${file} (${m.target}) ${o.kind}/${o.metadata?.name}`;
        const group = String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/')[0] : '';
        add(crdFoldersFor(group, m, versions, shared), o, where);
        if (mesh === 'linkerd' && o.kind === 'HTTPRoute') add([path.join(versions, `linkerd-${m.linkerd}`)], o, `${where} [Linkerd's bundled HTTPRoute CRD]`);
      }
    }
  }
  const problems: string[] = [];
  let objects = 0;
  for (const [key, bucket] of buckets) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-mesh-validate-'));
    const sources = [...bucket.values()];
    [...bucket.keys()].forEach((json, i) => fs.writeFileSync(path.join(tmp, `${i}.yaml`), stringify(JSON.parse(json))));
    objects += bucket.size;
    const r = kubeValidate(shared, key ? key.split('\n') : [], [tmp]);
    if (!r.ok) {
      // kube-validate prints `INVALID <file> <apiVersion> <Kind>/<ns>/<name>` then `  - reason` lines.
      let current: string[] = [];
      for (const line of r.output.split('\n')) {
        const m = line.match(/^INVALID \S*\/(\d+)\.yaml /);
        if (m) current = sources[Number(m[1])].map((w) => `INVALID ${w}`);
        else if (line.startsWith('  - ')) problems.push(...current.map((c) => `${c}: ${line.trim().slice(2)}`));
        else if (!line.startsWith('kube-validate:') && line.trim()) problems.push(`kube-validate (${key.split('\n').map((d) => path.basename(d)).join(', ')}): ${line}`);
      }
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { folders: dirs.length, objects, runs: buckets.size, problems };
}

/** The CRD folders an object of an API group needs under a target (none for built-in kinds). */
function crdFoldersFor(group: string, m: TargetManifest, versions: string, shared: string): string[] {
  if (group.endsWith('.istio.io')) return [path.join(versions, `istio-${m.istio}`)];
  if (group === 'gateway.networking.k8s.io') return [path.join(versions, `gateway-api-${m.gatewayApi}-${m.gatewayApiChannel}`)];
  if (group === 'policy.linkerd.io') return [linkerdPolicyCrds(path.join(versions, `linkerd-${m.linkerd}`))];
  const argoCd = group === 'argoproj.io' ? argoCdCrdsDir() : undefined;
  return (UNVERSIONED[group] ?? []).map((d) => (d === 'argo-cd' && argoCd ? argoCd : path.join(shared, 'crds', d)));
}

function kubeValidate(shared: string, crds: string[], files: string[]): { ok: boolean; output: string } {
  const kv = path.join(shared, 'tools', 'kube-validate', 'kube-validate');
  const r = spawnSync(kv, [...crds.flatMap((c) => ['--crds', c]), ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}

/** A temp folder with Linkerd's own CRDs only (not the Gateway API CRDs its chart can install). */
function linkerdPolicyCrds(linkerd: string): string {
  const out = path.join(os.tmpdir(), `cdk8s-mesh-crds-${path.basename(linkerd)}`);
  if (!fs.existsSync(out)) {
    const tmp = fs.mkdtempSync(`${out}-`);
    for (const f of fs.readdirSync(linkerd).filter((n) => n.endsWith('.yaml') && !n.startsWith('gateway.networking.k8s.io_'))) {
      fs.copyFileSync(path.join(linkerd, f), path.join(tmp, f));
    }
    try {
      fs.renameSync(tmp, out);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true }); // another process made it first
    }
  }
  return out;
}
