// The CLI run in-process on a temporary folder of YAML files.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { run } from '../../src/cli/run';

/** A temporary folder with the given files: objects are written as multi-document YAML, strings as they are. */
export function tmpTree(files: Record<string, object[] | string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-cli-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : content.map((o) => stringify(o)).join('---\n'));
  }
  return dir;
}

/** Runs `cdk8s-mesh <argv>` in `cwd`: the exit status and the lines written. */
export function cli(argv: string[], cwd: string): { status: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const status = run(argv, { stdout: (l) => out.push(l), stderr: (l) => err.push(l), cwd });
  return { status, out, err };
}
