import { ChangeType, ObjectChange } from './object-changes';
import { UnsafeChange } from './unsafe-change';

/** The counts of a diff. */
export interface MeshDiffSummary {
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  readonly unchanged: number;
  readonly unsafe: number;
}

/** Counts the changes of each type. */
export function summarize(changes: ObjectChange[], unchanged: number, unsafe: UnsafeChange[]): MeshDiffSummary {
  const count = (t: ChangeType) => changes.filter((c) => c.change === t).length;
  return { added: count(ChangeType.ADDED), removed: count(ChangeType.REMOVED), changed: count(ChangeType.CHANGED), unchanged, unsafe: unsafe.length };
}

/** Adds up the counts of several diffs (one per folder). */
export function addSummaries(summaries: MeshDiffSummary[]): MeshDiffSummary {
  const sum = (k: keyof MeshDiffSummary) => summaries.reduce((n, s) => n + s[k], 0);
  return { added: sum('added'), removed: sum('removed'), changed: sum('changed'), unchanged: sum('unchanged'), unsafe: sum('unsafe') };
}

/** The last line of a report. */
export function summaryLine(summary: MeshDiffSummary): string {
  return `diff: ${summary.added} added, ${summary.removed} removed, ${summary.changed} changed, ${summary.unchanged} unchanged; `
    + `${summary.unsafe === 0 ? 'safe in one sync' : `${summary.unsafe} unsafe in one sync`}`;
}

/** One line per changed object (and per changed field), then the unsafe changes with their fixes (`quiet`: only those). */
export function diffText(changes: ObjectChange[], unsafe: UnsafeChange[], quiet: boolean): string[] {
  const lines: string[] = [];
  if (!quiet) {
    for (const c of changes) {
      const file = c.newFile ?? c.oldFile;
      lines.push(`${c.change.padEnd(7)} ${c.resource} (${c.apiVersion}${file ? `, ${file}` : ''})`);
      for (const f of c.fields) lines.push(`          ${f.operation.padEnd(7)} ${f.pointer}`);
      if (c.omittedFields > 0) lines.push(`          ... ${c.omittedFields} more field(s)`);
    }
  }
  for (const u of unsafe) {
    lines.push(`unsafe ${u.code} ${u.resource}${u.file ? ` (${u.file})` : ''}: ${u.reason}`);
    lines.push(`  fix: ${u.fix}`);
  }
  return lines;
}
