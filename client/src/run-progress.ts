// One progress notification per roll, rollback or prune run: it reports each stage and offers Cancel only while a cancel can still take effect.
import type { ConfirmRequest, RollHost, StageInfo } from "../../server/src/roll/types.ts";

/** One open progress notification, as the front end shows it (VS Code: `window.withProgress`). */
export interface ProgressNotification {
  report(message: string): void;
  close(): void;
}

/**
 * Opens a progress notification; with `cancellable` it has a Cancel button that calls `onCancel`.
 * VS Code cannot add or remove the button of an open notification, so a change of cancellability
 * needs a new notification.
 */
export type OpenNotification = (cancellable: boolean, onCancel: () => void) => ProgressNotification;

/**
 * The progress of one run. Every stage reports into the same notification, so a run opens one
 * notification, not one per stage: VS Code drops toasts that arrive in a burst (more than three
 * within 800 ms), and per-stage notifications made a run's result one of them. The exception is
 * the undo (putting the previous generation back): nothing after it can be cancelled, so its stages
 * continue in a notification without Cancel.
 *
 * A cancel during a stage whose work cannot be interrupted (the moment-long record) is kept and
 * takes effect when the next cancellable stage starts, as the CLI does with Ctrl+C.
 */
export class RunProgress {
  private readonly controller = new AbortController();
  private readonly never = new AbortController().signal;
  private open?: { cancellable: boolean; notification: ProgressNotification; message?: string };
  private current?: StageInfo;
  /** How many notifications this run opened (tests check that a run opens one, two with an undo). */
  opened = 0;

  constructor(
    private readonly openNotification: OpenNotification,
    private readonly log: (line: string) => void,
  ) {}

  /** The pipeline's host for this run; `confirm` asks the user (VS Code: a modal). */
  host(confirm: (request: ConfirmRequest) => Promise<boolean>): RollHost {
    return {
      log: this.log,
      stage: (info, work) => this.stage(info, work),
      confirm: async (request) => {
        this.show(!this.current?.undoing, "Waiting for your confirmation");
        return confirm(request);
      },
    };
  }

  /** Closes the run's notification; call it before showing the run's result. */
  close(): void {
    this.open?.notification.close();
    this.open = undefined;
  }

  private async stage<T>(info: StageInfo, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.current = info;
    this.log(`== ${info.title}`);
    this.show(!info.undoing, info.undoing ? `${info.title} (cannot be cancelled)` : info.title);
    return work(info.cancellable ? this.controller.signal : this.never);
  }

  /** Reports `message` in a notification with the given cancellability, replacing the open one only when that differs. */
  private show(cancellable: boolean, message: string): void {
    if (this.open?.cancellable !== cancellable) {
      this.close();
      this.open = { cancellable, notification: this.openNotification(cancellable, () => this.cancel()) };
      this.opened += 1;
    } else if (this.open.message === message) {
      return;
    }
    this.open.message = message;
    this.open.notification.report(message);
  }

  private cancel(): void {
    if (this.controller.signal.aborted) return;
    const stage = this.current;
    this.log(
      stage && !stage.cancellable
        ? `cancel requested during "${stage.title}", which cannot be interrupted: the run stops when it is done`
        : `cancelling${stage ? ` ${stage.name}` : ""}…`,
    );
    this.controller.abort();
  }
}
