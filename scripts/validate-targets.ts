// `npm run validate`: validates every output folder that records its target (dist/<example>/ and
// dist-targets/<app>/<target>/) against that target's CRDs with kube-validate. Skips, saying so,
// when ../shared is not beside this clone.
import * as fs from 'fs';
import * as path from 'path';
import { argoCdCrdsDir, MANIFEST_FILE, sharedDir, validateTargetDirs } from './target-crds';

const root = path.resolve(__dirname, '..', '..');
const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['dist', 'dist-targets'];

function folders(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const here = fs.existsSync(path.join(dir, MANIFEST_FILE)) ? [dir] : [];
  const below = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).flatMap((e) => folders(path.join(dir, e.name)));
  return [...here, ...below];
}

const shared = sharedDir();
if (!shared) {
  console.log('validate: skipped, ../shared (crd-versions, kube-validate) is not beside this clone');
  process.exit(0);
}
const dirs = roots.flatMap((r) => folders(path.resolve(root, r))).sort();
if (dirs.length === 0) {
  console.error(`validate: no folder with ${MANIFEST_FILE} under ${roots.join(', ')}; run npm run synth first`);
  process.exit(1);
}
const argoCd = argoCdCrdsDir();
console.log(`validate: Argo CD objects against ${argoCd ?? `${shared}/crds/argo-cd (no ApplicationSet: run scripts/fetch-argo-cd-crds.sh)`}`);
const started = Date.now();
const r = validateTargetDirs(dirs, shared);
for (const p of r.problems) console.log(p);
console.log(`validate: ${r.folders} output folders against their targets' CRDs: ${r.objects} distinct objects in ${r.runs} kube-validate runs, `
  + `${r.problems.length} problems (${Date.now() - started} ms)`);
process.exit(r.problems.length ? 1 : 0);
