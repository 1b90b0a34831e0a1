import { createServer, connect, type Socket } from "node:net";

export type TcpProxy = {
  port: number;
  /** Destroys every connection through the proxy and refuses (destroys) new ones until `restore()`. */
  cut(): void;
  restore(): void;
  /** Holds every byte both ways on open connections (a network partition: nothing arrives, nothing errors) until `restore()` delivers them. */
  stall(): void;
  close(): Promise<void>;
};

/**
 * A TCP proxy in front of a server (Postgres by default) that a test can cut and restore: the
 * database "goes away" for this proxy's clients only, never for anyone else on the machine.
 */
export async function startTcpProxy(target = { host: "127.0.0.1", port: 5432 }): Promise<TcpProxy> {
  let up = true;
  let stalled = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
    if (stalled) {
      client.pause();
      upstream.pause();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    cut() {
      up = false;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    restore() {
      up = true;
      stalled = false;
      for (const s of sockets) s.resume();
    },
    stall() {
      stalled = true;
      for (const s of sockets) s.pause();
    },
    close: () =>
      new Promise<void>((resolve) => {
        up = false;
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** `DATABASE_URL` with its host and port replaced by the proxy's. */
export function throughProxy(databaseUrl: string, proxy: TcpProxy): string {
  const u = new URL(databaseUrl);
  u.hostname = "127.0.0.1";
  u.port = String(proxy.port);
  return u.toString();
}
