/**
 * Peak resident memory of this process, in MB. Linux: VmHWM of /proc/self/status, the peak of
 * this program image only. `process.resourceUsage().maxRSS` is not used there because Linux
 * carries the parent's peak across fork and exec, so a job started by a large orchestrator
 * would report the orchestrator's memory. Elsewhere maxRSS is the best there is.
 */
import { readFileSync } from 'node:fs';

export function peakRssMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}
