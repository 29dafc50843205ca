import { RecentMap } from '../../util/recent.js';

/** What a stream remembers between pages, bounded. */
export class StreamMemory {
  /** The holders an app had when last listed: a deleted app's can no longer be listed. */
  readonly holders = new RecentMap<string, string[]>(64);
  /**
   * Okta's time of each app's last full accounts read: changes published before it, by events
   * that arrived in publishing order, are in it.
   */
  readonly accountsReadAt = new RecentMap<string, number>(256);
  /** The newest `published` time (epoch ms) among the events read so far. */
  newestPublished = Number.NEGATIVE_INFINITY;
  /** The org's app count, once counted. */
  apps: number | undefined;
  /** A full read was found to cost more than this many apps-bucket requests. */
  fullReadAbove = 0;
}
