#!/usr/bin/env node
// The `tollgate` bin: runs the TypeScript CLI (src/cli/main.ts) through tsx, from any working
// directory and through `npm link` (Node resolves this file's real path).
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
