// The process-level part of `npm run bench`: whole synth commands as a user runs them, timed wall
// clock from spawn to exit, in paired rounds (the order alternating per round, after a warm-up
// run of each command), reported as the median of the per-round ratios (or times).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The repository root (this file runs from lib/scripts/). */
export const ROOT = path.join(__dirname, '..', '..');
const CDK8S_CLI = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
const ROUNDS = Number(process.env.BENCH_CLI_ROUNDS ?? 5);
/** Services in the user app of the fast-path measurement (issue 12). */
export const USER_APP_SERVICES = 10;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall and CPU seconds of one run of a command. */
interface Timing {
  readonly wall: number;
  /** CPU time (user + system) of the command and every process it waited for: what machine load does not inflate. */
  readonly cpu: number;
}

/**
 * Runs a command through `sh` (its output discarded, its stderr quoted if it fails); the shell's
 * `times` reports the CPU time of the process tree once the command has exited.
 */
function run(command: string, args: string[], cwd: string): Timing {
  const started = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', '"$0" "$@" >/dev/null || exit $?; times', command, ...args], {
    cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`bench: ${command} ${args.join(' ')} failed in ${cwd}: ${r.stderr}`);
  // `times`: the shell's user and system time, then its children's
  const children = [...r.stdout.matchAll(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/g)][1];
  if (!children) throw new Error(`bench: no CPU times from sh's times: ${r.stdout}`);
  const cpu = Number(children[1]) * 60 + Number(children[2]) + Number(children[3]) * 60 + Number(children[4]);
  return { wall, cpu };
}

/** `cdk8s synth` in `cwd` (per its cdk8s.yaml, or with `--app`), into `outdir`. */
function cdk8sSynth(cwd: string, outdir: string, app?: string): () => Timing {
  return () => run(process.execPath, [CDK8S_CLI, 'synth', '--output', outdir, ...(app ? ['--app', app] : [])], cwd);
}

/** Runs the commands once each to warm up, then ROUNDS rounds of all of them, the order alternating; timings per command per round. */
function pairedRounds(commands: Array<() => Timing>): Timing[][] {
  for (const c of commands) c();
  const times: Timing[][] = commands.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    const order = commands.map((_, i) => i);
    if (r % 2) order.reverse();
    for (const i of order) times[i].push(commands[i]());
  }
  return times;
}

const fmt = (xs: number[]): string => xs.map((x) => x.toFixed(2)).join(' ');
const wall = (ts: Timing[]): number[] => ts.map((t) => t.wall);
const cpu = (ts: Timing[]): number[] => ts.map((t) => t.cpu);
/** Per-round ratios of a to b, by wall or CPU time. */
const ratios = (a: number[], b: number[]): number[] => a.map((x, i) => x / b[i]);

export interface CliResult {
  /** Median over rounds of `cdk8s synth` / `node` on the compiled app. */
  readonly ratio: number;
  /** The same by CPU time. */
  readonly cpuRatio: number;
  /** Median over rounds of (`cdk8s synth` of an app that writes nothing + `node`) / `node`: the ratio's floor that the CLI alone sets. */
  readonly cliFloor: number;
}

/**
 * The reference app (bookinfo) through `cdk8s synth` per the repository's cdk8s.yaml (warm: the
 * incremental build is current) against `node` on its compiled JavaScript. The third command,
 * `cdk8s synth` running an app that only creates the output folder, is what the CLI costs before
 * it runs any app: no app command can bring the ratio below 1 + that / node.
 */
export function cliVsNode(): CliResult {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-mesh-bench-cli-'));
  const plainOut = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-mesh-bench-node-'));
  const emptyOut = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-mesh-bench-empty-'));
  const main = path.join(ROOT, 'lib', 'examples', 'bookinfo', 'main.js');
  try {
    const [cli, plain, empty] = pairedRounds([
      cdk8sSynth(ROOT, outdir),
      () => run(process.execPath, [main], plainOut), // writes to dist/bookinfo under its working directory
      cdk8sSynth(ROOT, emptyOut, `${process.execPath} -e "require('fs').mkdirSync(process.env.CDK8S_OUTDIR, { recursive: true })"`),
    ]);
    const perRound = ratios(wall(cli), wall(plain));
    const floors = wall(empty).map((e, i) => (e + plain[i].wall) / plain[i].wall);
    const ratio = median(perRound);
    const cliFloor = median(floors);
    const cpuFloor = median(cpu(empty).map((e, i) => (e + plain[i].cpu) / plain[i].cpu));
    const cpuRatio = median(ratios(cpu(cli), cpu(plain)));
    console.log(`bench: reference app (bookinfo), median of ${ROUNDS} paired rounds after a warm-up run:`);
    console.log(`  cdk8s synth ${median(wall(cli)).toFixed(2)} s (per cdk8s.yaml; CPU ${median(cpu(cli)).toFixed(2)} s), node lib/examples/bookinfo/main.js ${median(wall(plain)).toFixed(2)} s (CPU ${median(cpu(plain)).toFixed(2)} s)`);
    console.log(`  ratio ${ratio.toFixed(2)} (per-round ${fmt(perRound)}; CPU ratio ${cpuRatio.toFixed(2)})`);
    console.log(`  cdk8s synth of an app that writes nothing ${median(wall(empty)).toFixed(2)} s (CPU ${median(cpu(empty)).toFixed(2)} s): the CLI alone puts the ratio's floor at ${cliFloor.toFixed(2)} (per-round ${fmt(floors)}; CPU ${cpuFloor.toFixed(2)})`);
    return { ratio, cpuRatio, cliFloor };
  } finally {
    for (const d of [outdir, plainOut, emptyOut]) fs.rmSync(d, { recursive: true, force: true });
  }
}

/** A user's main.ts: USER_APP_SERVICES services with workloads, a canary on each, through the package's public API. */
function userMainTs(): string {
  return `import { App, Chart } from 'cdk8s';
import { CanaryService, MeshService, RouteTo, ServicePort, ServiceWorkloads } from 'cdk8s-mesh';

const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop' });
for (let i = 0; i < ${USER_APP_SERVICES}; i++) {
  const name = \`svc-\${i}\`;
  const service = new MeshService(chart, name, { ports: [ServicePort.http(8080)], versions: ['v1', 'v2'] });
  new ServiceWorkloads(chart, \`\${name}-workloads\`, {
    service,
    versions: [{ version: 'v1', image: \`registry.example.com/\${name}:1.0.0\` }, { version: 'v2', image: \`registry.example.com/\${name}:1.1.0\` }],
  });
  if (i % 2) new CanaryService(chart, \`\${name}-canary\`, { service, stableVersion: 'v1', canaryVersion: 'v2', stage: 2 });
  else service.setDefaultRoute(RouteTo.version('v1'));
}
app.synth();
`;
}

/**
 * A user project as the README's fast path sets it up: cdk8s.yaml running the README's
 * transpile-only command, a CommonJS tsconfig as cdk8s's template writes it, and node_modules
 * linking this package (its built lib/, as installed) and its dependencies.
 */
function userProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-mesh-bench-user-'));
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const app = /^```yaml\nlanguage: typescript\napp: (.+)\n/m.exec(readme)?.[1];
  if (!app) throw new Error('bench: the README has no cdk8s.yaml with an app command');
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), `language: typescript\napp: ${app}\n`);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true } }));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bench-user-app', private: true, version: '1.0.0' }));
  fs.writeFileSync(path.join(dir, 'main.ts'), userMainTs());
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(path.join(modules, '.bin'), { recursive: true });
  fs.symlinkSync(ROOT, path.join(modules, 'cdk8s-mesh'));
  for (const dep of ['cdk8s', 'constructs', 'cdk8s-plus-27', 'ts-node', 'typescript']) fs.symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(modules, dep));
  fs.symlinkSync(path.join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js'), path.join(modules, '.bin', 'ts-node'));
  return dir;
}

export interface FastPathResult {
  /** Median wall seconds of `cdk8s synth` on the user project. */
  readonly seconds: number;
  /** Median CPU seconds of the same (the process tree). */
  readonly cpuSeconds: number;
}

/**
 * A USER_APP_SERVICES-service user app through the README's fast path: `cdk8s synth` with the
 * README's cdk8s.yaml (`npx ts-node --transpile-only main.ts`), wall time from the user's
 * command to its exit; beside it the app command alone, without the CLI.
 */
export function userFastPath(): FastPathResult {
  const dir = userProject();
  try {
    const app = /^app: (.+)$/m.exec(fs.readFileSync(path.join(dir, 'cdk8s.yaml'), 'utf8'))![1];
    const [synth, command] = pairedRounds([cdk8sSynth(dir, path.join(dir, 'dist')), () => run('sh', ['-c', app], dir)]);
    const yaml = fs.readFileSync(path.join(dir, 'dist', 'shop.k8s.yaml'), 'utf8');
    const deployments = yaml.match(/^kind: Deployment$/gm)?.length ?? 0;
    if (deployments !== 2 * USER_APP_SERVICES) throw new Error(`bench: the user app wrote ${deployments} Deployments, not ${2 * USER_APP_SERVICES}`);
    const seconds = median(wall(synth));
    console.log(`bench: ${USER_APP_SERVICES}-service user app through the README's fast path (${app}), median of ${ROUNDS} rounds after a warm-up run:`);
    console.log(`  cdk8s synth ${seconds.toFixed(2)} s wall (per-round ${fmt(wall(synth))}; CPU ${median(cpu(synth)).toFixed(2)} s); the app command alone ${median(wall(command)).toFixed(2)} s (CPU ${median(cpu(command)).toFixed(2)} s)`);
    return { seconds, cpuSeconds: median(cpu(synth)) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
