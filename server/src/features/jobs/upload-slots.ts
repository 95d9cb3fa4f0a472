import { AppError } from '../../lib/app-error.js';

/**
 * How many package uploads this replica receives at once. Each one is spooled to disk (a folder upload
 * holds its files and their zip, up to twice the package limit), so the cap is what lets the spool
 * volume be sized: `slots × 2 × limit` always fits. Past the cap a request is refused before any of its
 * body is written, with a message that names the limit; uploads already under way are not touched.
 */
export class UploadSlots {
  private taken = 0;

  constructor(readonly max: number) {}

  get inUse(): number {
    return this.taken;
  }

  /** Takes a slot, or throws `unavailable` (503) when all are taken. The returned function frees it, once. */
  take(): () => void {
    if (this.taken >= this.max) {
      throw new AppError(
        'unavailable',
        `The console is already receiving ${this.max} package upload${this.max === 1 ? '' : 's'}, the most it takes at once (UPLOAD_CONCURRENCY=${this.max}). Nothing of this upload was kept; send it again in a moment.`,
      );
    }
    this.taken += 1;
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      this.taken -= 1;
    };
  }
}
