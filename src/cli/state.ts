/** Set by `serve`: the process then lives on after the command returns. */
export const cliState = { serving: false };
