import { documentationRuns } from "./suite.js";

// The README and every other docs page after it (see suite.ts).
documentationRuns(0, 2);
