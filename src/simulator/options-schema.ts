/**
 * Validation of the simulator's options (zod) and their defaults. A mistake is a `TypeError`
 * naming the option, e.g. `OktaSimulator: rateLimits.windowMs must be a multiple of 1000`.
 * @module
 */
import { z } from 'zod';
import { BUCKET_LIMITS, BUCKET_NAMES, type BucketName } from './buckets.js';
import { oauthOptionsSchema, resolveOAuthOptions } from './oauth-options.js';
import { DEFAULT_TOKEN, FAULT_KINDS, type FaultKind, type ResolvedOptions, type SimulatorOptions } from './options.js';
import { PAGE_SIZES, type ListOperation } from './page-sizes.js';

const DEFAULTS = { seed: 1, users: 200, apps: 8, groups: 10, assignmentDensity: 0.3, windowMs: 60_000, maxConcurrent: 75, slowMs: 30_000 } as const;

/** An integer of at least `min` (any size, as `Number.isInteger` has it). */
function integer(min: number, message = `must be an integer >= ${min}`) {
  return z.number({ error: message }).refine((v) => Number.isInteger(v) && v >= min, { error: message });
}

const fraction = z.number({ error: 'must be a number from 0 to 1' }).min(0, { error: 'must be a number from 0 to 1' }).max(1, { error: 'must be a number from 0 to 1' });

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.map((v) => `'${v}'`).join(', ')}` });
}

function fn<T>(message: string) {
  return z.custom<T>((v) => typeof v === 'function', { error: message });
}

const faultKinds = z.custom<readonly FaultKind[]>((v) => Array.isArray(v) && v.length > 0 && v.every((k) => (FAULT_KINDS as readonly unknown[]).includes(k)), {
  error: `must be a non-empty array of ${FAULT_KINDS.map((k) => `'${k}'`).join(', ')}`,
});

const forbidden = z.custom<ReadonlyArray<string | RegExp>>((v) => Array.isArray(v) && v.every((f) => typeof f === 'string' || f instanceof RegExp), {
  error: 'must be an array of path prefixes (strings) or regular expressions',
});

const bucketLimits = z.strictObject(Object.fromEntries(BUCKET_NAMES.map((b) => [b, integer(1).optional()])) as Record<BucketName, z.ZodOptional<ReturnType<typeof integer>>>);

const pageLimits = z.strictObject(Object.fromEntries(Object.keys(PAGE_SIZES).map((op) => [op, integer(1).optional()])) as Record<ListOperation, z.ZodOptional<ReturnType<typeof integer>>>);

const schema = z
  .strictObject(
    {
      seed: integer(Number.NEGATIVE_INFINITY, 'must be an integer').optional(),
      users: integer(0).optional(),
      apps: integer(0).optional(),
      groups: integer(0).optional(),
      appUsersPerApp: integer(0).optional(),
      assignmentDensity: fraction.optional(),
      appGroupsPerApp: integer(0).optional(),
      pushMappings: integer(0).optional(),
      token: z
        .string({ error: 'must be a non-empty string of visible ASCII characters' })
        .regex(/^[\x21-\x7e]+$/, { error: 'must be a non-empty string of visible ASCII characters' })
        .optional(),
      rateLimits: z
        .strictObject(
          {
            limits: bucketLimits.optional(),
            // X-Rate-Limit-Reset is in whole seconds, so a window must end on one.
            windowMs: integer(1_000)
              .refine((v) => v % 1_000 === 0, { error: 'must be a multiple of 1000 (X-Rate-Limit-Reset is in whole seconds)' })
              .optional(),
            maxConcurrent: integer(1).optional(),
          },
          { error: 'must be an object' },
        )
        .optional(),
      forbidden: forbidden.optional(),
      faults: z
        .strictObject(
          {
            rate: z
              .number({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a number from 0 to 1') })
              .min(0, { error: 'must be a number from 0 to 1' })
              .max(1, { error: 'must be a number from 0 to 1' }),
            kinds: faultKinds.optional(),
            slowMs: integer(0).optional(),
          },
          { error: 'must be an object' },
        )
        .optional(),
      latencyMs: integer(0).optional(),
      now: fn<() => number>('must be a function returning epoch milliseconds').optional(),
      linkStyle: oneOf(['separate', 'joined']).optional(),
      lateEventRate: fraction.optional(),
      duplicateEventRate: fraction.optional(),
      appUserTargetId: oneOf(['assignment', 'user']).optional(),
      groupPushMappingsCount: oneOf(['both', 'source', 'target']).optional(),
      pageLimits: pageLimits.optional(),
      oauth: oauthOptionsSchema.optional(),
      onRequest: fn<NonNullable<SimulatorOptions['onRequest']>>('must be a function').optional(),
    },
    { error: 'must be an object' },
  )
  .superRefine((o, ctx) => {
    if (o.appUsersPerApp !== undefined && o.appUsersPerApp > (o.users ?? DEFAULTS.users)) ctx.addIssue({ code: 'custom', path: ['appUsersPerApp'], message: 'cannot exceed users' });
  });

/** `rateLimits.windowMs`, `oauth.clients[0].clientId`: how a message names an option. */
function optionName(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') || 'options';
}

/** The first problem of a failed parse, as the message of the simulator's TypeError. */
function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const prefix = issue.path.length > 0 ? `${optionName(issue.path)}.` : '';
    return `unknown option ${prefix}${issue.keys[0] ?? ''}`;
  }
  return `${optionName(issue.path)} ${issue.message}`;
}

/** A regular expression without the flags that make `test` stateful. */
function stateless(f: string | RegExp): string | RegExp {
  return typeof f === 'string' ? f : new RegExp(f.source, f.flags.replace(/[gy]/g, ''));
}

/** The `forbidden` option as {@link ResolvedOptions} keeps it. */
export function resolveForbidden(value: unknown): ReadonlyArray<string | RegExp> {
  const parsed = forbidden.safeParse(value);
  if (!parsed.success) throw new TypeError(`OktaSimulator: forbidden ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  return parsed.data.map(stateless);
}

/**
 * Validates `options` and applies the defaults.
 * @throws TypeError naming the first invalid or unknown option.
 */
export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const parsed = schema.safeParse(options);
  if (!parsed.success) throw new TypeError(`OktaSimulator: ${describe(parsed.error.issues[0]!)}`);
  const o = parsed.data;
  const users = o.users ?? DEFAULTS.users;
  const limits = { ...BUCKET_LIMITS } as Record<BucketName, number>;
  for (const [bucket, limit] of Object.entries(o.rateLimits?.limits ?? {})) if (limit !== undefined) limits[bucket as BucketName] = limit;
  return {
    seed: o.seed ?? DEFAULTS.seed,
    users,
    apps: o.apps ?? DEFAULTS.apps,
    groups: o.groups ?? DEFAULTS.groups,
    appUsersPerApp: o.appUsersPerApp ?? Math.round(users * (o.assignmentDensity ?? DEFAULTS.assignmentDensity)),
    appGroupsPerApp: o.appGroupsPerApp ?? 0,
    pushMappings: o.pushMappings ?? 0,
    token: o.token ?? DEFAULT_TOKEN,
    limits,
    windowMs: o.rateLimits?.windowMs ?? DEFAULTS.windowMs,
    maxConcurrent: o.rateLimits?.maxConcurrent ?? DEFAULTS.maxConcurrent,
    forbidden: (o.forbidden ?? []).map(stateless),
    faultRate: o.faults?.rate ?? 0,
    faultKinds: o.faults?.kinds ? [...o.faults.kinds] : FAULT_KINDS,
    slowMs: o.faults?.slowMs ?? DEFAULTS.slowMs,
    latencyMs: o.latencyMs ?? 0,
    now: o.now ?? Date.now,
    linkStyle: o.linkStyle ?? 'separate',
    lateEventRate: o.lateEventRate ?? 0,
    duplicateEventRate: o.duplicateEventRate ?? 0,
    appUserTargetId: o.appUserTargetId ?? 'assignment',
    groupPushMappingsCount: o.groupPushMappingsCount ?? 'both',
    pageLimits: Object.fromEntries(Object.entries(o.pageLimits ?? {}).filter(([, v]) => v !== undefined)),
    oauth: o.oauth === undefined ? undefined : resolveOAuthOptions(o.oauth),
    onRequest: o.onRequest,
  };
}
