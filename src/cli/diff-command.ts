import * as fs from 'fs';
import * as path from 'path';
import { Manifest } from '../analysis/manifest';
import { addSummaries, diffText, summaryLine } from '../gitops/diff/diff-report';
import { MeshDiff } from '../gitops/diff/mesh-diff';
import { readManifestTree } from '../gitops/diff/manifest-tree';
import { CliIo, UsageError } from './io';

/** The parsed options of `cdk8s-mesh diff`. */
export interface DiffArgs {
  readonly oldPath: string;
  readonly newPath: string;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly pruneLast: boolean;
  readonly recursive: boolean;
  readonly namespace: string;
}

export const DIFF_HELP = `Usage: cdk8s-mesh diff <old-dir|file> <new-dir|file> [options]

Compares two synthesized outputs (e.g. the deployed branch's folder and this commit's). Every
*.yaml / *.yml file below each path is read; each folder is compared with the same folder of the
other side on its own, as the set one Argo CD Application applies (Argo CD reads a folder without
its subfolders by default), so an environment's folder with a folder per cluster works. Lists the objects added, removed and changed (by apiVersion,
kind, namespace and name, with the changed fields as JSON pointers) and flags the changes that
are unsafe in one Argo CD sync, each with how to split it into safe commits:

  MESH0401  a DestinationRule subset removed while an old VirtualService still routes to it
  MESH0402  a route to a new subset applied in the same wave as its DestinationRule, or earlier
  MESH0403  a host moved between VirtualServices, the old one letting go first
  MESH0404  a PeerAuthentication tightened to STRICT while a DestinationRule disables TLS
  MESH0405  an HTTPRoute backendRef to a Service added in the same wave, or later
  MESH0406  a ReferenceGrant removed while an old route still needs it
  MESH0407  a route naming a Service across namespaces through a ReferenceGrant added in the
            same wave, or later

Waves are read from argocd.argoproj.io/sync-wave (0 when absent); removed objects are pruned in
reverse wave order, or last with --prune-last (see docs/gitops.md).

Options:
  --prune-last          the Applications sync with PruneLast=true (GitOpsEnvironments' do)
  --recursive           all files below each path form one set (an Application with
                        directory.recurse: true)
  --namespace <ns>      namespace of objects that name none (default: default)
  --json                print the diff as JSON (versioned: "version": 1)
  --quiet               print only the unsafe changes and the summary
  -h, --help            show this help

Exit status: 0 safe (or no changes), 1 unsafe changes found, 2 usage or input error.`;

/** Parses the arguments after `diff`. */
export function parseDiffArgs(argv: readonly string[]): DiffArgs {
  const paths: string[] = [];
  let json = false;
  let quiet = false;
  let pruneLast = false;
  let recursive = false;
  let namespace = 'default';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--quiet') quiet = true;
    else if (arg === '--prune-last') pruneLast = true;
    else if (arg === '--recursive') recursive = true;
    else if (arg === '--namespace' || arg.startsWith('--namespace=')) {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (!v) throw new UsageError('--namespace needs a value');
      namespace = v;
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else paths.push(arg);
  }
  if (paths.length !== 2) throw new UsageError(`diff takes two paths, the old output and the new one; got ${paths.length}`);
  return { oldPath: paths[0], newPath: paths[1], json, quiet, pruneLast, recursive, namespace };
}

/** Runs `cdk8s-mesh diff`; returns the exit status. */
export function runDiff(args: DiffArgs, io: CliIo): number {
  const [oldSide, newSide] = [args.oldPath, args.newPath].map((p) => read(p, io));
  const sets = args.recursive ? new Map([['', { old: oldSide.manifests, new: newSide.manifests }]]) : pairFolders(oldSide.manifests, newSide.manifests);
  const diffs = [...sets].map(([folder, set]) => {
    try {
      return { folder, diff: MeshDiff.between(set.old, set.new, { defaultNamespace: args.namespace, pruneLast: args.pruneLast }) };
    } catch (e) {
      throw new UsageError(`${folder ? `${folder}/: ` : ''}${(e as Error).message}`);
    }
  });
  const summary = addSummaries(diffs.map((d) => d.diff.summary));
  if (args.json) {
    const inFolder = (folder: string, entries: object[]) => (args.recursive ? entries : entries.map((e) => ({ folder, ...e })));
    io.stdout(JSON.stringify({
      version: MeshDiff.JSON_VERSION,
      old: { path: args.oldPath, files: oldSide.files, objects: oldSide.manifests.length },
      new: { path: args.newPath, files: newSide.files, objects: newSide.manifests.length },
      summary,
      changes: diffs.flatMap((d) => inFolder(d.folder, d.diff.changes)),
      unsafeChanges: diffs.flatMap((d) => inFolder(d.folder, d.diff.unsafeChanges)),
    }, undefined, 2));
  } else {
    for (const { folder, diff } of diffs) {
      const lines = diffText(diff.changes, diff.unsafeChanges, args.quiet);
      if (lines.length && diffs.length > 1) io.stdout(`${folder || '.'}/`);
      for (const line of lines) io.stdout(diffs.length > 1 ? `  ${line}` : line);
    }
    io.stdout(summaryLine(summary));
  }
  return summary.unsafe === 0 ? 0 : 1;
}

/**
 * The objects of each folder (relative to the path given), old and new side by side: Argo CD reads
 * an Application's folder without its subfolders (`directory.recurse` is off by default), so each
 * folder is the set one sync applies.
 */
function pairFolders(oldObjects: Manifest[], newObjects: Manifest[]): Map<string, { old: Manifest[]; new: Manifest[] }> {
  const out = new Map<string, { old: Manifest[]; new: Manifest[] }>();
  const add = (m: Manifest, side: 'old' | 'new') => {
    const folder = path.dirname(m.__file ?? '.').split(path.sep).join('/');
    const key = folder === '.' ? '' : folder;
    const set = out.get(key) ?? { old: [], new: [] };
    set[side].push(m);
    out.set(key, set);
  };
  oldObjects.forEach((m) => add(m, 'old'));
  newObjects.forEach((m) => add(m, 'new'));
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function read(p: string, io: CliIo): { files: number; manifests: Manifest[] } {
  const resolved = path.resolve(io.cwd, p);
  if (!fs.existsSync(resolved)) throw new UsageError(`${p} does not exist`);
  try {
    return readManifestTree(resolved);
  } catch (e) {
    throw new UsageError(`cannot read ${p}: ${(e as Error).message}`);
  }
}
