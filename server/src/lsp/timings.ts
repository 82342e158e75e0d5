// Benchmark support (`initializationOptions.reportTimings`): how long each edit took to reach its published diagnostics, and how much of it was garbage collection.
import v8 from "node:v8";
import type { Connection } from "vscode-languageserver/node";
import { TIMING_NOTIFICATION, type TimingParams } from "./protocol.ts";

export class EditTimings {
  /** When each document's newest edit arrived. */
  private readonly arrivals = new Map<string, { version: number; at: number }>();
  /** Collects garbage collection costs from the first pending edit's arrival to the next publish. */
  private gcProfiler: v8.GCProfiler | undefined;

  constructor(private readonly connection: Pick<Connection, "sendNotification">) {}

  /** A document's content changed (opened or edited): its next publish at this version is timed from now. */
  edited(uri: string, version: number): void {
    this.arrivals.set(uri, { version, at: performance.now() });
    this.startGcProfiler();
  }

  /** Diagnostics were sent for a document version: sends its timing when that version's edit is the one pending. */
  published(uri: string, version: number | undefined): void {
    const edit = this.arrivals.get(uri);
    if (!edit || version !== edit.version) return;
    this.arrivals.delete(uri);
    const now = performance.now();
    // GCProfiler reports synchronously (performance entries for gc arrive later, often after the publish).
    const gcMilliseconds = (this.gcProfiler?.stop()?.statistics ?? []).reduce((sum, g) => sum + g.cost / 1000, 0);
    this.gcProfiler = undefined;
    if (this.arrivals.size > 0) this.startGcProfiler();
    const params: TimingParams = { uri, version, milliseconds: now - edit.at, gcMilliseconds };
    void this.connection.sendNotification(TIMING_NOTIFICATION, params);
  }

  private startGcProfiler(): void {
    if (this.gcProfiler) return;
    this.gcProfiler = new v8.GCProfiler();
    this.gcProfiler.start();
  }
}
