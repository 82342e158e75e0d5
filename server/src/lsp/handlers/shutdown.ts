// shutdown: the client is about to stop the server; work that only prepares for later (the warm-up) stops.
import type { ImmutablyServer } from "../server.ts";

export function shutdown(server: ImmutablyServer): void {
  server.shuttingDown = true;
}
