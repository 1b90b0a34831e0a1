import { createHook } from "node:async_hooks";

let pinned: object | undefined;

/**
 * Keeps one of Node's `process.nextTick` objects alive for the life of the process, so that V8
 * never has to rebuild their shape. Called first by `startServer`; idempotent.
 *
 * Why: Node 20's `nextTick` makes each of its queue entries with an object literal whose first two
 * keys are symbols (`{ [async_id_symbol]: …, [trigger_async_id_symbol]: …, callback, args }`).
 * V8 remembers the shape (hidden class) such a literal had, weakly, and compiles the literal to a
 * few direct stores for as long as every call sees that same shape. Entries live for one tick, so
 * when a full garbage collection finds none alive it frees their shapes; the next entry gets a new
 * one, V8 sees a second shape, and from then on every `nextTick` in the process defines its two
 * symbol keys through the runtime (`Runtime_DefineKeyedOwnPropertyInLiteral`). A request through
 * Node's HTTP server and streams makes several `nextTick` calls: measured with `perf` on
 * `POST /v1/gateway/authorize`, about half the server processes ended up in that state (a full
 * collection is more likely the larger the heap, and the tokenizer makes Tollgate's large), at
 * 1.9-2.0 µs per request in that runtime function and 1 µs more in `nextTick` itself, about a
 * tenth of the request's CPU; none with one entry kept alive (docs/performance.md).
 *
 * The entry is caught through an async hook's `init`, the only place Node hands it out, enabled
 * for the one synchronous `nextTick` call and disabled at once (an enabled hook would cost every
 * asynchronous operation). `hooks`: where the hook comes from (a test's, to see it disabled).
 */
export function pinTickObjectShape(hooks: { createHook: typeof createHook } = { createHook }): object | undefined {
  if (pinned !== undefined) return pinned;
  const hook = hooks.createHook({
    init(_id, type, _trigger, resource) {
      if (type === "TickObject" && pinned === undefined) pinned = resource;
    },
  });
  hook.enable();
  try {
    process.nextTick(() => {});
  } finally {
    hook.disable();
  }
  return pinned;
}
