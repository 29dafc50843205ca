/**
 * Peak resident memory of this process, in MB. Linux: VmHWM of /proc/self/status, the peak of
 * this program image only. `process.resourceUsage().maxRSS` is not used there because Linux
 * carries the parent's peak across fork and exec, so a job started by a large orchestrator
 * would report the orchestrator's memory. Elsewhere maxRSS is the best there is.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

export function peakRssMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * Starts a new peak: Linux's VmHWM is reset to the current RSS by writing 5 to
 * /proc/self/clear_refs. False where that is not possible (then the peak is the process's).
 */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** The resident memory now, in MB. */
export function rssMb(): number {
  return process.memoryUsage().rss / 2 ** 20;
}

/** A full collection (through `--expose-gc`, set at run time). */
export function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Where a job's memory went: V8's spaces at their peak, and what stayed after a full collection. */
export interface MemoryBreakdown {
  /** RSS before the sync: node, the imported modules, the provider. */
  startRssMb: number;
  /** Peak size of V8's young generation (both semi-spaces). */
  peakNewSpaceMb: number;
  /** Peak size of the old space (live data plus garbage not yet collected). */
  peakOldSpaceMb: number;
  /** Peak of ArrayBuffer memory outside the V8 heap (response chunks, the store's columns and strings). */
  peakArrayBuffersMb: number;
  /** Heap used after a full collection at the end. */
  liveHeapMb: number;
  /** ArrayBuffer memory after a full collection at the end (the store kept for resolves). */
  liveArrayBuffersMb: number;
}

const MB = 2 ** 20;

/**
 * Samples V8's spaces every 25 ms until `stop()`, which forces a full collection (through
 * `--expose-gc`, set at run time) and returns the breakdown.
 */
export function sampleMemory(): { stop(): MemoryBreakdown } {
  const startRssMb = process.memoryUsage().rss / MB;
  const peak = { newSpace: 0, oldSpace: 0, arrayBuffers: 0 };
  const sample = (): void => {
    for (const space of v8.getHeapSpaceStatistics()) {
      if (space.space_name === 'new_space') peak.newSpace = Math.max(peak.newSpace, space.space_size / MB);
      if (space.space_name === 'old_space') peak.oldSpace = Math.max(peak.oldSpace, space.space_size / MB);
    }
    peak.arrayBuffers = Math.max(peak.arrayBuffers, process.memoryUsage().arrayBuffers / MB);
  };
  const timer = setInterval(sample, 25);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      collectGarbage();
      const after = process.memoryUsage();
      return { startRssMb, peakNewSpaceMb: peak.newSpace, peakOldSpaceMb: peak.oldSpace, peakArrayBuffersMb: peak.arrayBuffers, liveHeapMb: after.heapUsed / MB, liveArrayBuffersMb: after.arrayBuffers / MB };
    },
  };
}
