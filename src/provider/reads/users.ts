import { paginate } from '../../http/paginate.js';
import { PAGE_SIZE } from '../../okta/endpoints.js';
import { oktaUserSchema, type OktaUser } from '../../okta/schemas.js';
import { checked, validItems, type ProviderContext } from '../context.js';
import { keptUser } from './kept.js';

/**
 * Every user, DEPROVISIONED included (a `filter`, since the plain list leaves them out), each as
 * {@link keptUser} keeps it.
 */
export async function readEveryone(ctx: ProviderContext, signal?: AbortSignal): Promise<OktaUser[]> {
  const users: OktaUser[] = [];
  const query = { limit: PAGE_SIZE.users, filter: 'lastUpdated gt "1970-01-01T00:00:00.000Z"' };
  for await (const page of paginate(ctx.client, '/api/v1/users', query, signal, checked(oktaUserSchema, keptUser))) users.push(...validItems(ctx, page));
  return users;
}
