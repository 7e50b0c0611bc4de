import { randomUUID } from 'node:crypto';
import { RequestMethod, type Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Client } from 'pg';
import { ROLES_KEY } from '../src/auth/roles.decorator';
import { StaffRole } from '../src/auth/staff-user.entity';
import { StaffGuard } from '../src/auth/staff.guard';
import { QUEUE_DASHBOARD_PATH } from '../src/staff-ui/queue-dashboard';
import { QueueName } from '../src/core/queue/jobs';
import { completeNotice, createCatalogPage, postJson } from './support/factories';
import { db, type RunningApi, startApi, uniquePrefix } from './support/harness';
import { createStaff, openSignIn, signIn, type StaffFixture } from './support/staff';

jest.setTimeout(90_000);

/**
 * The staff routes anyone may call: signing in is how a staff member gets a session, and signing out must work with
 * an expired one. Both check a CSRF token instead of a role.
 */
const PUBLIC_STAFF_ROUTES = new Set(['GET /staff/login', 'POST /staff/login', 'POST /staff/logout']);

/**
 * Express middleware mounted under a staff path, which no controller declares: each needs its own test below, so a
 * new mount fails the discovery test until it has one.
 */
const CHECKED_STAFF_MOUNTS = new Set([QUEUE_DASHBOARD_PATH]);

const ROLES = Object.values(StaffRole);
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface StaffRoute {
  method: string;
  path: string;
  /** `Controller.method`, to find the handler a failure names. */
  handler: string;
  roles: StaffRole[];
  guarded: boolean;
}

const isStaffPath = (path: string): boolean => path.startsWith('/staff') || path.startsWith('/api/v1/staff');
/** Staff pages, as against the JSON API: the browser is sent to sign in rather than shown a 401. */
const isPage = (path: string): boolean => !path.startsWith('/api/');
const label = (route: { method: string; path: string }): string => `${route.method} ${route.path}`;

function joinPath(...parts: string[]): string {
  return `/${parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
}

const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Whether a @UseGuards list holds `cls`, given as the class or as an instance of it. */
const holds = (list: unknown[], cls: Type): boolean => list.some((item) => item === cls || item instanceof cls);

/** Every route the app's controllers declare, with its guards and the @Roles that StaffGuard reads. */
function controllerRoutes(app: NestExpressApplication): StaffRoute[] {
  const reflector = app.get(Reflector);
  const scanner = new MetadataScanner();
  const controllers = new Set(
    new DiscoveryService(app.get(ModulesContainer))
      .getControllers()
      .map((wrapper) => wrapper.metatype as Type | null)
      .filter((metatype): metatype is Type => typeof metatype === 'function'),
  );
  const routes: StaffRoute[] = [];
  for (const controller of controllers) {
    const prototype = controller.prototype as Record<string, (...args: unknown[]) => unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      const handlerPaths = asList(reflector.get<string | string[] | undefined>(PATH_METADATA, handler));
      if (handlerPaths.length === 0) continue; // a helper method, not a route
      const requestMethod = reflector.get<RequestMethod>(METHOD_METADATA, handler);
      const guards = [
        ...asList(reflector.get(GUARDS_METADATA, controller)),
        ...asList(reflector.get(GUARDS_METADATA, handler)),
      ];
      // The same lookup StaffGuard makes: the handler's @Roles, else the controller's.
      const roles = reflector.getAllAndOverride<StaffRole[] | undefined>(ROLES_KEY, [handler, controller]) ?? [];
      const method = RequestMethod[requestMethod];
      for (const base of asList(reflector.get<string | string[] | undefined>(PATH_METADATA, controller)))
        for (const path of handlerPaths)
          routes.push({
            method,
            path: joinPath(base, path),
            handler: `${controller.name}.${name}`,
            roles,
            guarded: holds(guards, StaffGuard),
          });
    }
  }
  return routes;
}

interface ExpressLayer {
  rawPath?: unknown;
  route?: { path: string; methods: Record<string, boolean> };
}

/** What Express itself serves: its routes as `METHOD /path`, and the paths middleware is mounted on. */
function expressStack(app: NestExpressApplication): { routes: string[]; mounts: string[] } {
  // Express 5's router keeps each layer's mount path as rawPath and a route's methods as flags; its types show neither.
  const { stack } = (app.getHttpAdapter().getInstance() as { router: { stack: unknown[] } }).router;
  const layers = stack as ExpressLayer[];
  const routes = layers.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods).map((m) => `${m === '_all' ? 'ALL' : m.toUpperCase()} ${layer.route?.path}`)
      : [],
  );
  const mounts = layers
    .filter((layer) => !layer.route)
    .flatMap((layer) => asList(layer.rawPath))
    .filter((p): p is string => typeof p === 'string');
  return { routes, mounts };
}

describe('staff routes refuse anonymous callers and callers without the role', () => {
  let api: RunningApi;
  let client: Client;
  let routes: StaffRoute[];
  let reference: string;
  let csrf: { csrf: string; cookie: string };
  const staff = {} as Record<StaffRole, StaffFixture & { session: string }>;

  beforeAll(async () => {
    client = await db();
    api = await startApi({ QUEUE_PREFIX: uniquePrefix() });
    routes = controllerRoutes(api.app).filter((r) => isStaffPath(r.path) && !PUBLIC_STAFF_ROUTES.has(label(r)));
    for (const role of ROLES) {
      const fixture = await createStaff(client, role);
      staff[role] = { ...fixture, session: await signIn(api.url, fixture) };
    }
    csrf = await openSignIn(api.url);
    const page = await createCatalogPage(client);
    const notice = await postJson(
      api.url,
      '/api/v1/notices',
      completeNotice([`https://example.com/d/${page.downloads[0].id}`]),
    );
    expect(notice.status).toBe(201);
    reference = notice.body.reference as string;
  });

  afterAll(async () => {
    await api?.close();
    await client?.end();
  });

  /** The route's path with each parameter filled in: the case made above, or a uuid no row has. */
  const concrete = (path: string): string =>
    path
      .replace(/\{?\*(\w+)\}?/g, 'anything')
      .replace(/:(\w+)/g, (_m, name: string) => (name === 'reference' ? reference : randomUUID()))
      .replace(/[{}]/g, '');

  /**
   * Calls the route as `role`, or anonymously. API routes get an API token and a JSON body; pages a session cookie
   * and, on a form method, a valid CSRF token, so that only the guard can be what refuses.
   */
  const call = (route: StaffRoute, role?: StaffRole): Promise<Response> => {
    const page = isPage(route.path);
    const headers: Record<string, string> = {};
    let body: string | undefined;
    if (page) {
      headers.cookie = [csrf.cookie, ...(role ? [staff[role].session] : [])].join('; ');
      if (UNSAFE_METHODS.has(route.method)) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams({ _csrf: csrf.csrf }).toString();
      }
    } else {
      if (role) headers.authorization = `Bearer ${staff[role].token}`;
      if (UNSAFE_METHODS.has(route.method) && route.method !== 'DELETE') {
        headers['content-type'] = 'application/json';
        body = '{}';
      }
    }
    // An @All route is probed with GET.
    const method = route.method === 'ALL' ? 'GET' : route.method;
    return fetch(`${api.url}${concrete(route.path)}`, { method, redirect: 'manual', headers, body });
  };

  it('finds the staff routes from the controllers, exactly the ones Express serves, and no unchecked mounts', () => {
    expect(routes.length).toBeGreaterThanOrEqual(15);
    const declared = new Set(controllerRoutes(api.app).map(label));
    const staffRoutes = new Set([...routes.map(label), ...PUBLIC_STAFF_ROUTES]);
    const served = expressStack(api.app);
    const servedStaff = new Set(served.routes.filter((r) => isStaffPath(r.slice(r.indexOf(' ') + 1))));
    const failures = [
      ...[...PUBLIC_STAFF_ROUTES].filter((r) => !declared.has(r)).map((r) => `${r}: allowlisted but no longer exists`),
      ...[...servedStaff].filter((r) => !staffRoutes.has(r)).map((r) => `${r}: served, but no controller declares it`),
      ...[...staffRoutes]
        .filter((r) => !servedStaff.has(r))
        .map((r) => `${r}: declared, but Express serves no such route`),
      ...[...new Set(served.mounts)]
        .filter((p) => isStaffPath(p) && !CHECKED_STAFF_MOUNTS.has(p))
        .map((p) => `${p}: middleware mounted on a staff path with no role test here`),
    ];
    expect(failures).toEqual([]);
  });

  it('puts StaffGuard and a non-empty @Roles on every staff route but sign-in and sign-out', () => {
    const failures = routes.flatMap((r) => [
      ...(r.guarded ? [] : [`${label(r)} (${r.handler}): no StaffGuard`]),
      ...(r.roles.length > 0 ? [] : [`${label(r)} (${r.handler}): no @Roles`]),
    ]);
    expect(failures).toEqual([]);
  });

  it('answers anonymous callers 401 (pages: a redirect to sign in), other roles 403, and lets the listed roles in', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      const anonymous = await call(route);
      const location = anonymous.headers.get('location');
      // StaffPageFilter (which page error filters delegate 401s to) redirects whatever the method.
      if (isPage(route.path)) {
        if (anonymous.status !== 303 || location !== '/staff/login')
          failures.push(
            `${label(route)} anonymously: expected 303 to /staff/login, got ${anonymous.status} ${location ?? ''}`.trim(),
          );
      } else if (anonymous.status !== 401) {
        failures.push(`${label(route)} anonymously: expected 401, got ${anonymous.status}`);
      }
      for (const role of ROLES.filter((r) => !route.roles.includes(r))) {
        const res = await call(route, role);
        if (res.status !== 403) failures.push(`${label(route)} as ${role}: expected 403, got ${res.status}`);
      }
      for (const role of route.roles) {
        const res = await call(route, role);
        // On a page, a refusal the filter turned into a redirect to sign in is a refusal too.
        const signIn = res.status === 303 && res.headers.get('location') === '/staff/login';
        if (res.status === 401 || res.status === 403 || signIn)
          failures.push(
            `${label(route)} as ${role}: expected to pass the guard, got ${res.status}${signIn ? ' to /staff/login' : ''}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });

  it('keeps the Bull Board queue dashboard at /staff/queues to admin and legal staff', async () => {
    const page = QUEUE_DASHBOARD_PATH;
    const queuesApi = `${QUEUE_DASHBOARD_PATH}/api/queues`;
    const get = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
      fetch(`${api.url}${path}`, { redirect: 'manual', headers });
    const failures: string[] = [];
    const expectStatus = async (what: string, res: Promise<Response>, status: number, location?: string) => {
      const r = await res;
      const got = `${r.status}${location ? ` ${r.headers.get('location') ?? ''}` : ''}`.trim();
      const want = `${status}${location ? ` ${location}` : ''}`;
      if (got !== want) failures.push(`${what}: expected ${want}, got ${got}`);
    };

    await expectStatus(`GET ${page} anonymously`, get(page), 303, '/staff/login');
    await expectStatus(`GET ${queuesApi} anonymously`, get(queuesApi), 401);
    await expectStatus(`GET ${page} as viewer`, get(page, { cookie: staff.viewer.session }), 403);
    await expectStatus(
      `GET ${queuesApi} as viewer`,
      get(queuesApi, { authorization: `Bearer ${staff.viewer.token}` }),
      403,
    );
    await expectStatus(
      `PUT ${queuesApi}/${QueueName.Mail}/retry/failed as viewer`,
      fetch(`${api.url}${queuesApi}/${QueueName.Mail}/retry/failed`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${staff.viewer.token}` },
      }),
      403,
    );
    await expectStatus(`GET ${page} as legal`, get(page, { cookie: staff.legal.session }), 200);
    await expectStatus(
      `GET ${queuesApi} as legal`,
      get(queuesApi, { authorization: `Bearer ${staff.legal.token}` }),
      200,
    );
    await expectStatus(
      `GET ${queuesApi} as admin`,
      get(queuesApi, { authorization: `Bearer ${staff.admin.token}` }),
      200,
    );
    expect(failures).toEqual([]);
  });
});
