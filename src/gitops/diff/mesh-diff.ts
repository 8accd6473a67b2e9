import { Manifest } from '../../analysis/manifest';
import { ManifestIndex } from '../../analysis/manifest-index';
import { parseManifests } from '../../analysis/yaml-files';
import { ArgoCdSyncOrder } from './argo-cd-sync-order';
import { hostMoveCheck } from './checks/host-move';
import { newBackendCheck, newReferenceGrantCheck, referenceGrantRemovalCheck } from './checks/gateway-api-references';
import { strictMtlsCheck } from './checks/strict-mtls';
import { subsetAdditionCheck } from './checks/subset-addition';
import { subsetRemovalCheck } from './checks/subset-removal';
import { diffText, MeshDiffSummary, summarize, summaryLine } from './diff-report';
import { readManifestTree } from './manifest-tree';
import { changeOf, indexByIdentity, ObjectChange, pairObjects } from './object-changes';
import { DiffCheck, DiffContext, UnsafeChange } from './unsafe-change';

/** Options of {@link MeshDiff}. */
export interface MeshDiffOptions {
  /**
   * The namespace of objects that name none.
   * @default 'default'
   */
  readonly defaultNamespace?: string;
  /**
   * The cluster's DNS domain.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
  /**
   * The Argo CD Application syncs with `PruneLast=true`: removed objects are pruned after every wave.
   * @default false
   */
  readonly pruneLast?: boolean;
  /**
   * How many changed fields to list per changed object.
   * @default 10
   */
  readonly maxFieldsPerObject?: number;
}

const CHECKS: DiffCheck[] = [subsetRemovalCheck, subsetAdditionCheck, hostMoveCheck, strictMtlsCheck, newBackendCheck, referenceGrantRemovalCheck, newReferenceGrantCheck];

/**
 * What a commit changes between two synthesized outputs (the folder one Argo CD Application
 * applies, before and after), object by object, and which of the changes are unsafe in one Argo CD
 * sync, with how to split them into safe commits (docs/gitops.md). `cdk8s-mesh diff` prints it.
 *
 * @example
 * const diff = MeshDiff.betweenYaml(deployedYaml, proposedYaml);
 * for (const unsafe of diff.unsafeChanges) {
 *   console.log(unsafe.resource + ': ' + unsafe.reason + '. Fix: ' + unsafe.fix);
 * }
 */
export class MeshDiff {
  /** The version of the `toJson()` shape; it changes only when a field is removed or changes meaning. */
  public static readonly JSON_VERSION = 1;

  /** Compares two sets of Kubernetes objects (plain JSON, as synthesized or parsed from YAML). */
  public static between(oldManifests: any[], newManifests: any[], options: MeshDiffOptions = {}): MeshDiff {
    return new MeshDiff(oldManifests, newManifests, options);
  }

  /** Compares the objects of two (multi-document) YAML texts. */
  public static betweenYaml(oldYaml: string, newYaml: string, options: MeshDiffOptions = {}): MeshDiff {
    const objects = (yaml: string, label: string) => parseManifests(yaml, label).map(({ __file, ...m }) => m as Manifest);
    return new MeshDiff(objects(oldYaml, 'the old YAML'), objects(newYaml, 'the new YAML'), options);
  }

  /** Compares the objects of every `.yaml` / `.yml` file under two paths (folders are read recursively). */
  public static betweenPaths(oldPath: string, newPath: string, options: MeshDiffOptions = {}): MeshDiff {
    return new MeshDiff(readManifestTree(oldPath).manifests, readManifestTree(newPath).manifests, options);
  }

  /** The objects added, removed or changed, sorted by API group, kind, namespace and name. */
  public readonly changes: ObjectChange[];
  /** The changes that are unsafe in one sync, with the fix for each. */
  public readonly unsafeChanges: UnsafeChange[];
  /** The counts of changes. */
  public readonly summary: MeshDiffSummary;

  private constructor(oldManifests: Manifest[], newManifests: Manifest[], options: MeshDiffOptions) {
    const ns = options.defaultNamespace ?? 'default';
    const valid = (list: Manifest[]) => list.filter((m) => m && typeof m === 'object' && typeof m.apiVersion === 'string' && typeof m.kind === 'string' && m.metadata?.name);
    const oldList = valid(oldManifests);
    const newList = valid(newManifests);
    const pairs = pairObjects(indexByIdentity(oldList, ns, 'old'), indexByIdentity(newList, ns, 'new'));
    const max = options.maxFieldsPerObject ?? 10;
    const changes = pairs.map((p) => changeOf(p, max));
    this.changes = changes.filter((c): c is ObjectChange => c !== undefined);
    const indexOptions = { clusterDomain: options.clusterDomain };
    const ctx = new DiffContext(new ManifestIndex(oldList, ns, indexOptions), new ManifestIndex(newList, ns, indexOptions), pairs,
      new ArgoCdSyncOrder(pairs, options.pruneLast ?? false));
    this.unsafeChanges = CHECKS.flatMap((check) => check(ctx))
      .sort((a, b) => a.code.localeCompare(b.code) || a.resource.localeCompare(b.resource) || a.reason.localeCompare(b.reason));
    this.summary = summarize(this.changes, pairs.length - this.changes.length, this.unsafeChanges);
  }

  /** True when no change is unsafe in one sync. */
  public get safe(): boolean {
    return this.unsafeChanges.length === 0;
  }

  /** The diff as JSON: `{ version, summary, changes, unsafeChanges }` (docs/gitops.md describes each field). */
  public toJson(): any {
    return { version: MeshDiff.JSON_VERSION, summary: this.summary, changes: this.changes, unsafeChanges: this.unsafeChanges };
  }

  /**
   * The diff as plain text lines: one per changed object and field, each unsafe change with its
   * fix, and a summary line.
   *
   * @param unsafeOnly print only the unsafe changes and the summary
   */
  public formatText(unsafeOnly: boolean = false): string[] {
    return [...diffText(this.changes, this.unsafeChanges, unsafeOnly), summaryLine(this.summary)];
  }
}
