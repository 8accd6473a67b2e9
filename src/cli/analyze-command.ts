import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../analysis/analyze';
import { Finding, formatFinding, Severity } from '../analysis/finding';
import { Manifest } from '../analysis/manifest';
import { findYamlFiles, readManifests } from '../analysis/yaml-files';
import { CliIo, UsageError } from './io';

/** The parsed options of `cdk8s-mesh analyze`. */
export interface AnalyzeArgs {
  readonly paths: string[];
  readonly knownHosts: string[];
  readonly knownGateways: string[];
  readonly knownSecrets: string[];
  readonly json: boolean;
  readonly quiet: boolean;
  readonly perFile: boolean;
  readonly namespace: string;
}

export const ANALYZE_HELP = `Usage: cdk8s-mesh analyze <dir|file>... [options]

Runs the cdk8s-mesh cross-resource checks (Istio analyzer codes where one exists) on every
*.yaml / *.yml file under the given paths (multi-document files are fine). By default all
files form one set of objects; use --per-file when the files are alternative scenarios.

Options:
  --known-host <host>       a host that exists outside the files (FQDN or *.wildcard); repeatable
  --known-gateway <ns/name> an Istio Gateway that exists outside the files; repeatable
  --known-secret <ns/name>  a Secret that exists outside the files (turns on the Gateway
                            credentialName check); repeatable
  --namespace <ns>          namespace of objects that name none (default: default)
  --per-file                analyze each file as its own set
  --json                    print the findings as JSON
  --quiet                   print only errors and the summary
  -h, --help                show this help

With --per-file, an unreadable file is reported and the other files are still analyzed.

Exit status: 0 no errors, 1 errors found, 2 usage or input error (unreadable YAML).`;

/** Parses the arguments after `analyze`. */
export function parseAnalyzeArgs(argv: readonly string[]): AnalyzeArgs {
  const args = { paths: [] as string[], knownHosts: [] as string[], knownGateways: [] as string[], knownSecrets: [] as string[], json: false, quiet: false, perFile: false, namespace: 'default' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--known-host': args.knownHosts.push(value()); break;
      case '--known-gateway': {
        const v = value();
        if (!/^[^/\s]+\/[^/\s]+$/.test(v)) throw new UsageError(`--known-gateway must be <namespace>/<name>, got "${v}"`);
        args.knownGateways.push(v);
        break;
      }
      case '--known-secret': {
        const v = value();
        if (!/^[^/\s]+\/[^/\s]+$/.test(v)) throw new UsageError(`--known-secret must be <namespace>/<name>, got "${v}"`);
        args.knownSecrets.push(v);
        break;
      }
      case '--namespace': args.namespace = value(); break;
      case '--per-file': args.perFile = true; break;
      case '--json': args.json = true; break;
      case '--quiet': args.quiet = true; break;
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
        args.paths.push(arg);
    }
  }
  if (args.paths.length === 0) throw new UsageError('give at least one directory or file to analyze');
  return args;
}

/** Runs `cdk8s-mesh analyze`; returns the exit status. */
export function runAnalyze(args: AnalyzeArgs, io: CliIo): number {
  const files: string[] = [];
  for (const p of args.paths) {
    // relative to the working directory the CLI was given, as diff resolves its paths
    const resolved = path.resolve(io.cwd, p);
    if (!fs.existsSync(resolved)) throw new UsageError(`${p} does not exist`);
    files.push(...findYamlFiles(resolved));
  }
  const sets: Manifest[][] = [];
  const all: Manifest[] = [];
  const unreadable: string[] = [];
  for (const file of [...new Set(files)]) {
    let objects: Manifest[];
    try {
      objects = readManifests(file, displayPath(io.cwd, file));
    } catch (e) {
      const problem = `cannot read ${file}: ${(e as Error).message}`;
      // one set of all files would be incomplete; with --per-file the other files are still analyzed
      if (!args.perFile) throw new UsageError(problem);
      unreadable.push(problem);
      continue;
    }
    if (args.perFile) sets.push(objects);
    else all.push(...objects);
  }
  if (!args.perFile) sets.push(all);

  const options = { knownHosts: args.knownHosts, knownGateways: args.knownGateways, knownSecrets: args.knownSecrets, defaultNamespace: args.namespace };
  const findings: Finding[] = sets.flatMap((set) => analyze(set, options));
  const objects = sets.reduce((n, s) => n + s.length, 0);
  const errors = findings.filter((f) => f.severity === Severity.ERROR).length;
  const warnings = findings.filter((f) => f.severity === Severity.WARNING).length;

  for (const problem of unreadable) io.stderr(`cdk8s-mesh: ${problem}`);
  if (args.json) {
    io.stdout(JSON.stringify({ files: files.length, objects, errors, warnings, findings, ...(unreadable.length ? { unreadable } : {}) }, undefined, 2));
  } else {
    for (const f of findings) {
      if (!args.quiet || f.severity === Severity.ERROR) io.stdout(formatFinding(f));
    }
    io.stdout(`analyze: ${objects} objects, ${errors} errors, ${warnings} warnings${unreadable.length ? `, ${unreadable.length} unreadable file(s)` : ''}`);
  }
  if (unreadable.length) return 2;
  return errors > 0 ? 1 : 0;
}

/** A path relative to the working directory when it is below it, else absolute. */
function displayPath(cwd: string, file: string): string {
  const rel = path.relative(cwd, path.resolve(cwd, file));
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? path.resolve(cwd, file) : rel;
}
