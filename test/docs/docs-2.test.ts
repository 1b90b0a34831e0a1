import { documentationRuns } from "./suite.js";

// The docs pages the other file does not run (see suite.ts).
documentationRuns(1, 2);
