import * as fs from 'fs';
import * as path from 'path';
import { Manifest } from '../analysis/manifest';
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
  readonly namespace: string;
}

export const DIFF_HELP = `Usage: cdk8s-mesh diff <old-dir|file> <new-dir|file> [options]

Compares two synthesized outputs (e.g. the deployed branch's folder and this commit's), read
recursively from every *.yaml / *.yml file: the folder one Argo CD Application applies (one
environment's or one cluster's). Lists the objects added, removed and changed (by apiVersion,
kind, namespace and name, with the changed fields as JSON pointers) and flags the changes that
are unsafe in one Argo CD sync, each with how to split it into safe commits:

  MESH0401  a DestinationRule subset removed while an old VirtualService still routes to it
  MESH0402  a route to a new subset applied in the same wave as its DestinationRule, or earlier
  MESH0403  a host moved between VirtualServices, the old one letting go first
  MESH0404  a PeerAuthentication tightened to STRICT while a DestinationRule disables TLS
  MESH0405  an HTTPRoute backendRef to a Service added in the same wave, or later
  MESH0406  a ReferenceGrant removed while an old route still needs it

Waves are read from argocd.argoproj.io/sync-wave (0 when absent); removed objects are pruned in
reverse wave order, or last with --prune-last (see docs/gitops.md).

Options:
  --prune-last          the Application syncs with PruneLast=true
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
  let namespace = 'default';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--quiet') quiet = true;
    else if (arg === '--prune-last') pruneLast = true;
    else if (arg === '--namespace' || arg.startsWith('--namespace=')) {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (!v) throw new UsageError('--namespace needs a value');
      namespace = v;
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else paths.push(arg);
  }
  if (paths.length !== 2) throw new UsageError(`diff takes two paths, the old output and the new one; got ${paths.length}`);
  return { oldPath: paths[0], newPath: paths[1], json, quiet, pruneLast, namespace };
}

/** Runs `cdk8s-mesh diff`; returns the exit status. */
export function runDiff(args: DiffArgs, io: CliIo): number {
  const [oldSide, newSide] = [args.oldPath, args.newPath].map((p) => read(p, io));
  let diff: MeshDiff;
  try {
    diff = MeshDiff.between(oldSide.manifests, newSide.manifests, { defaultNamespace: args.namespace, pruneLast: args.pruneLast });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (args.json) {
    const json = diff.toJson();
    io.stdout(JSON.stringify({
      version: json.version,
      old: { path: args.oldPath, files: oldSide.files, objects: oldSide.manifests.length },
      new: { path: args.newPath, files: newSide.files, objects: newSide.manifests.length },
      summary: json.summary, changes: json.changes, unsafeChanges: json.unsafeChanges,
    }, undefined, 2));
  } else {
    for (const line of diff.formatText(args.quiet)) io.stdout(line);
  }
  return diff.safe ? 0 : 1;
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
