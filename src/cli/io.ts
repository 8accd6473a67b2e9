/** Where the CLI writes and what it resolves relative paths against (injected so tests need no child process). */
export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  readonly cwd: string;
}

/** A wrong invocation or unreadable input: exit status 2. */
export class UsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The process's stdout, stderr and working directory. */
export function processIo(): CliIo {
  return {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    cwd: process.cwd(),
  };
}
