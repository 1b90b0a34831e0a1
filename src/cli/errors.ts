/** Exit codes: 0 done, 1 refused by the API (or unreachable), 2 bad usage. */
export const EXIT_OK = 0;
export const EXIT_API = 1;
export const EXIT_USAGE = 2;

/** Bad usage caught by the CLI itself (a missing flag, a conflicting pair, no --yes off a terminal). */
export class UsageError extends Error {
  readonly exitCode = EXIT_USAGE;
}

/** A refusal from the API: its error envelope's code and message. */
export class ApiRefusal extends Error {
  readonly exitCode = EXIT_API;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

/** Any other failure that is not the user's typing (not signed in, server unreachable). */
export class CliFailure extends Error {
  readonly exitCode = EXIT_API;
}

/**
 * A server-side verb that has already said why on stderr, in the same words as its npm script
 * (`npm start`, `npm run db:migrate`, …): exit with `exitCode`, printing nothing more.
 */
export class AlreadySaid extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}
