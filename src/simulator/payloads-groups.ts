/**
 * The JSON of groups and Group Push mappings, with the fields and key order of Okta's
 * examples (`ListGroupsExample`: an OKTA_GROUP, then an APP_GROUP imported from Active
 * Directory; `ListGroupPushMappingsResponse_Example`). An APP_GROUP's app appears only as
 * `_links.source`: Okta's group JSON has no top-level `source`.
 * @module
 */
import { allMappings } from './groups-model.js';
import type { Org } from './org.js';
import type { AppRecord, GroupRecord, PushMappingRecord } from './records.js';
import { iso, type PayloadContext } from './payloads.js';

/** What `expand` asked to embed (`_embedded.stats`, `_embedded.app`). */
export interface GroupExpand {
  stats: boolean;
  app: boolean;
}

function embedded(ctx: PayloadContext, org: Org, group: GroupRecord, expand: GroupExpand): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  if (expand.stats) {
    let appsCount = 0;
    for (const id of org.appIds) if (org.app(id).groups.has(group.id)) appsCount++;
    const reading = ctx.pushCount ?? 'both';
    const counts = (m: PushMappingRecord): boolean => (reading !== 'target' && m.sourceGroupId === group.id) || (reading !== 'source' && m.targetGroupId === group.id);
    const groupPushMappingsCount = [...allMappings(org)].filter(counts).length;
    out.stats = { usersCount: group.memberIds.length, appsCount, groupPushMappingsCount, hasAdminPrivlege: false };
  }
  const app = group.sourceAppId === null ? undefined : org.apps.get(group.sourceAppId);
  if (expand.app && app) out.app = { id: app.id, name: app.name, label: app.label, signOnMode: app.signOnMode };
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A group as `GET /api/v1/groups` returns it (with `_embedded` when `expand` asks for it). */
export function groupJson(ctx: PayloadContext, org: Org, group: GroupRecord, expand: GroupExpand = { stats: false, app: false }): Record<string, unknown> {
  const base = `${ctx.origin}/api/v1/groups/${group.id}`;
  const app: AppRecord | undefined = group.sourceAppId === null ? undefined : org.apps.get(group.sourceAppId);
  const logo = group.objectClass === 'okta:windows_security_principal' ? 'active_directory' : app ? app.name : 'okta';
  const links: Record<string, unknown> = {
    logo: [
      { name: 'medium', href: `${ctx.origin}/img/logos/groups/${logo}-medium.png`, type: 'image/png' },
      { name: 'large', href: `${ctx.origin}/img/logos/groups/${logo}-large.png`, type: 'image/png' },
    ],
  };
  if (group.sourceAppId !== null) links.source = { href: `${ctx.origin}/api/v1/apps/${group.sourceAppId}` };
  links.users = { href: `${base}/users` };
  links.apps = { href: `${base}/apps` };
  const out: Record<string, unknown> = {
    id: group.id,
    created: iso(group.created),
    lastUpdated: iso(group.lastUpdated),
    lastMembershipUpdated: iso(group.lastMembershipUpdated),
    objectClass: [group.objectClass],
    type: group.type,
    profile: { name: group.name, description: group.description, ...group.attributes },
    _links: links,
  };
  const more = embedded(ctx, org, group, expand);
  if (more) out._embedded = more;
  return out;
}

/** Okta's mapping timestamps are whole seconds: `2025-01-01T00:00:00Z`. */
function seconds(ms: number): string {
  return iso(ms).replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A mapping as `GET /api/v1/apps/{appId}/group-push/mappings` returns it. Okta reports push
 * failures in `errorSummary`; the simulator never fails a push, so it is empty.
 */
export function pushMappingJson(ctx: PayloadContext, m: PushMappingRecord): Record<string, unknown> {
  return {
    created: seconds(m.created),
    errorSummary: '',
    id: m.id,
    lastPush: seconds(m.lastPush),
    lastUpdated: seconds(m.lastUpdated),
    sourceGroupId: m.sourceGroupId,
    status: m.status,
    targetGroupId: m.targetGroupId,
    _links: {
      app: { href: `${ctx.origin}/api/v1/apps/${m.appId}` },
      sourceGroup: { href: `${ctx.origin}/api/v1/groups/${m.sourceGroupId}` },
      targetGroup: { href: `${ctx.origin}/api/v1/groups/${m.targetGroupId}` },
    },
  };
}
