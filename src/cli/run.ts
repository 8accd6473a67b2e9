import { ANALYZE_HELP, parseAnalyzeArgs, runAnalyze } from './analyze-command';
import { DIFF_HELP, parseDiffArgs, runDiff } from './diff-command';
import { CliIo, UsageError } from './io';

export const HELP = `Usage: cdk8s-mesh <command> [options]

Commands:
  analyze <dir|file>...   check Kubernetes and mesh YAML for cross-resource problems
  diff <old> <new>        list what changes between two outputs and flag what is unsafe in one Argo CD sync

Run "cdk8s-mesh <command> --help" for a command's options.`;

/** Runs the CLI with `argv` (without node and script) and returns the exit status. */
export function run(argv: readonly string[], io: CliIo): number {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      (command === undefined ? io.stderr : io.stdout)(HELP);
      return command === undefined ? 2 : 0;
    }
    if (command !== 'analyze' && command !== 'diff') throw new UsageError(`unknown command "${command}"`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(command === 'diff' ? DIFF_HELP : ANALYZE_HELP);
      return 0;
    }
    return command === 'diff' ? runDiff(parseDiffArgs(rest), io) : runAnalyze(parseAnalyzeArgs(rest), io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`cdk8s-mesh: ${e.message}`);
      io.stderr('Run "cdk8s-mesh --help" for usage.');
      return 2;
    }
    throw e;
  }
}
