/** Exit codes, documented in README.md. */
export const EXIT_OK = 0;
export const EXIT_ASSERTION = 1;
export const EXIT_USAGE = 2;
export const EXIT_FABRIC = 3;

/** An error that carries the process exit code it should end with. */
export class CliError extends Error {
  constructor(message: string, public readonly exitCode: number) {
    super(message);
    this.name = 'CliError';
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, EXIT_USAGE);
}
