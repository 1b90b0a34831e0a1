// Starts the server as `npm start` does (src/main.ts), under a command line of its own: tests,
// scripts and benches spawn this (scripts/lib/spawn-server.ts), so that a broad
// `pkill -f src/main.ts` run by someone else on a shared machine does not stop them halfway.
await import("../../src/main.js");
