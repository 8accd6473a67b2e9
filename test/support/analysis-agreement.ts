import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { ANALYSIS_CONTEXT_KEY } from '../../src/analysis/synth-analysis';
import { parseAnalyzeArgs, runAnalyze } from '../../src/cli/analyze-command';

/** The error findings (`CODE Kind namespace/name`) of a synth-time analysis failure, or none. */
export function synthErrors(app: App): string[] {
  try {
    app.synthYaml();
    return [];
  } catch (e) {
    const message = (e as Error).message;
    if (!message.startsWith('Analysis of chart')) throw e;
    return [...message.matchAll(/^ {2}\[[^\]]*\] error (\S+) (\S+ \S+?):/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
  }
}

/**
 * What `cdk8s-mesh analyze` reports as errors on the YAML the app writes (synthesized with the
 * synth-time analysis off, so the files exist whatever it finds).
 */
export function cliErrors(build: (app: App) => void, cliArgs: string[] = []): string[] {
  const app = Testing.app();
  app.node.setContext(ANALYSIS_CONTEXT_KEY, 'off');
  build(app);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-agree-'));
  try {
    fs.writeFileSync(path.join(dir, 'app.k8s.yaml'), app.synthYaml());
    const out: string[] = [];
    runAnalyze(parseAnalyzeArgs([dir, '--json', ...cliArgs]), { stdout: (l) => out.push(l), stderr: () => undefined, cwd: dir });
    const report = JSON.parse(out.join('\n'));
    return report.findings.filter((f: any) => f.severity === 'error').map((f: any) => `${f.code} ${f.resource}`).sort();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Builds the app twice and returns both views of its errors, synth-time and CLI. */
export function bothAnalyses(build: (app: App) => void): { synth: string[]; cli: string[] } {
  const app = Testing.app();
  build(app);
  return { synth: synthErrors(app), cli: cliErrors(build) };
}
