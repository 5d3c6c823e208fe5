import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { Seeder } from '../seed/seeder';
import { systemClock } from '../common/clock';
import { ConfigError, loadConfig, type AppConfig } from '../config/config';
import { migrate } from '../db/migrator';
import { DatabaseSetupError, DatabaseUnavailableError } from '../db/errors';
import { AppError } from '../http/errors';
import { KeysService } from '../keys/keys.service';
import { AuthService } from '../auth/auth.service';
import { TotpService } from '../auth/totp.service';
import { RoleSchema } from '@dxoc/contracts';
import { readSecret } from './prompt';
import { startServer } from '../server';
import { openForCommand, openForServer, type OpenedDatabase } from './open-database';
import { LOGGER, type JsonLogger } from '../observability/logger';

const USAGE = `dxoc — operations center for Vietnam's national digital transformation

Usage: npm run dxoc -- <command>

  serve                                  migrate, seed and serve the API on PORT (default 3000)
  migrate                                apply database migrations and exit
  seed                                   migrate, then load the reference catalog and historical figures
  keys create --unit <code> [--unit <code> ...] [--name <label>]
                                         create an agent key for one or more units (comma lists work too);
                                         the key is printed once, as the last line of stdout
  keys create --all-units [--name <label>]
                                         a key for national systems that report for every unit
  keys list                              list agent keys (never the secrets)
  keys revoke <id>                       revoke a key: it is refused at once
  users create --username <u> --role <viewer|operator|staff|admin> [--unit <code>]
                                         create a user; the password comes from DXOC_PASSWORD or a prompt
  users list                             list users
  users passwd --username <u>            set a new password (DXOC_PASSWORD or a prompt); signs the user out
  users disable --username <u> | users enable --username <u>
  users reset-totp --username <u>        switch the user's second factor off (a lost phone; the last admin's too)
  viewer-tokens create --name <label>    a long-lived token for an unattended wall (last line of stdout)
  viewer-tokens list | revoke <id>

Database: DATABASE_URL (PostgreSQL with TimescaleDB) or, when unset, the embedded database in
DXOC_DATA_DIR (default .dxoc/data). Commands work while the server is running.`;

const out = (line: string) => process.stdout.write(`${line}\n`);

async function withServices<T>(
  config: AppConfig,
  run: (opened: OpenedDatabase, get: <S>(type: new (...args: never[]) => S) => S) => Promise<T>,
): Promise<T> {
  const opened = await openForCommand(config);
  try {
    await migrate(opened.db);
    const context = await NestFactory.createApplicationContext(AppModule.register({ config, db: opened.db, clock: systemClock }), {
      logger: ['error'],
    });
    try {
      // The catalog must exist before keys can name units; seeding only inserts what is missing.
      await context.get(Seeder).run();
      return await run(opened, (type) => context.get(type));
    } finally {
      await context.close();
    }
  } finally {
    await opened.close();
  }
}

async function serve(config: AppConfig): Promise<void> {
  const opened = await openForServer(config);
  let server;
  try {
    server = await startServer({ config, db: opened.db, clock: systemClock });
  } catch (error) {
    await opened.close();
    throw error;
  }
  server.app.get<JsonLogger>(LOGGER).info('server.started', {
    url: server.url,
    docs: `${server.url}/api/docs/`,
    metrics: server.metricsUrl,
    database: opened.description,
    instance: config.instanceId,
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.get<JsonLogger>(LOGGER).info('server.stopping', { signal });
    await server.close();
    await opened.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  opened.onLost?.((error) => {
    if (stopping) return;
    // Crash-only: every request would fail from now on. Whoever runs the server (npm start, compose, Kubernetes)
    // restarts it, and the data dir reopens with every committed row.
    server.app.get<JsonLogger>(LOGGER).error('server.database_lost', { error: error.message });
    process.exit(70);
  });
}

async function keys(config: AppConfig, args: string[]): Promise<void> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { unit: { type: 'string', multiple: true }, 'all-units': { type: 'boolean' }, name: { type: 'string' } },
  });
  await withServices(config, async (opened, get) => {
    const service = get(KeysService);
    if (action === 'create') {
      const units = (values.unit ?? [])
        .flatMap((u) => u.split(','))
        .map((u) => u.trim())
        .filter(Boolean);
      if (values['all-units'] && units.length > 0) throw new UsageError('use either --unit or --all-units, not both');
      if (!values['all-units'] && units.length === 0) throw new UsageError('keys create needs --unit <code> (or --all-units)');
      const created = await service.create({ unitCodes: values['all-units'] ? null : units, name: values.name }, 'cli');
      out(
        `created agent key ${created.id} for ${created.units === 'all' ? 'all units' : `unit(s) ${created.units.join(', ')}`} on ${opened.description}`,
      );
      out('store it now: it is shown only once. Send it as "Authorization: Bearer <key>".');
      out(created.key);
    } else if (action === 'list') {
      const list = await service.list();
      if (list.length === 0) out('no agent keys yet: create one with keys create --unit <code>');
      for (const key of list) {
        const state = key.revokedAt ? `revoked ${key.revokedAt}` : 'active';
        const units = key.units === 'all' ? 'all units' : key.units.join(',');
        out(`${key.id}  ${state.padEnd(32)}  ${units.padEnd(16)}  last used ${key.lastUsedAt ?? 'never'}  ${key.name}`);
      }
    } else if (action === 'revoke') {
      const id = positionals[0];
      if (!id) throw new UsageError('keys revoke needs the key id (see keys list)');
      await service.revoke(id, 'cli');
      out(`revoked agent key ${id}: it is refused from now on`);
    } else {
      throw new UsageError(`unknown keys command "${action ?? ''}"`);
    }
  });
}

async function users(config: AppConfig, args: string[]): Promise<void> {
  const [action, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: { username: { type: 'string' }, role: { type: 'string' }, unit: { type: 'string' } },
  });
  if (action === 'create') {
    if (!values.username) throw new UsageError('users create needs --username <name>');
    const role = RoleSchema.safeParse(values.role);
    if (!role.success) throw new UsageError('users create needs --role viewer|operator|staff|admin');
    const password = config.initialPassword ?? (await readSecret(`password for ${values.username}: `));
    await withServices(config, async (opened, get) => {
      const user = await get(AuthService).createUser(
        { username: values.username as string, password, role: role.data, unitCode: values.unit ?? null },
        'cli',
      );
      out(`created ${user.role} "${user.username}"${user.unitCode ? ` for unit ${user.unitCode}` : ''} on ${opened.description}`);
    });
  } else if (action === 'passwd' || action === 'disable' || action === 'enable') {
    if (!values.username) throw new UsageError(`users ${action} needs --username <name>`);
    const password =
      action === 'passwd' ? (config.initialPassword ?? (await readSecret(`new password for ${values.username}: `))) : undefined;
    await withServices(config, async (_opened, get) => {
      const auth = get(AuthService);
      const user = await auth.findUserByName(values.username as string);
      if (!user) throw new AppError(404, 'not_found', `no user named "${values.username}"`);
      await auth.updateUser(user.id, action === 'passwd' ? { password } : { disabled: action === 'disable' }, 'cli');
      out(action === 'passwd' ? `password of "${user.username}" changed; their sessions were ended` : `user "${user.username}" ${action}d`);
    });
  } else if (action === 'reset-totp') {
    if (!values.username) throw new UsageError('users reset-totp needs --username <name>');
    await withServices(config, async (_opened, get) => {
      const user = await get(AuthService).findUserByName(values.username as string);
      if (!user) throw new AppError(404, 'not_found', `no user named "${values.username}"`);
      await get(TotpService).reset(user.id, 'cli', null);
      out(`second factor of "${user.username}" switched off: they sign in with the password alone and may enrol again`);
    });
  } else if (action === 'list') {
    await withServices(config, async (_opened, get) => {
      for (const user of await get(AuthService).listUsers())
        out(`${user.username.padEnd(24)} ${user.role.padEnd(9)} ${user.unitCode ?? '-'}  created ${user.createdAt}`);
    });
  } else {
    throw new UsageError(`unknown users command "${action ?? ''}"`);
  }
}

async function viewerTokens(config: AppConfig, args: string[]): Promise<void> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { name: { type: 'string' } } });
  await withServices(config, async (_opened, get) => {
    const auth = get(AuthService);
    if (action === 'create') {
      if (!values.name) throw new UsageError('viewer-tokens create needs --name <label>, e.g. "Phòng họp Chính phủ"');
      const created = await auth.createViewerToken(values.name, 'cli');
      out(`created viewer token ${created.id} "${created.name}": open the wall at /wall?token=<token>; shown only once`);
      out(created.token);
    } else if (action === 'list') {
      for (const token of await auth.listViewerTokens())
        out(`${token.id}  ${token.revokedAt ? `revoked ${token.revokedAt}` : 'active'}  ${token.name}`);
    } else if (action === 'revoke') {
      if (!positionals[0]) throw new UsageError('viewer-tokens revoke needs the token id');
      await auth.revokeViewerToken(positionals[0], 'cli');
      out(`revoked viewer token ${positionals[0]}`);
    } else {
      throw new UsageError(`unknown viewer-tokens command "${action ?? ''}"`);
    }
  });
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    out(USAGE);
    return;
  }
  const config = loadConfig();
  switch (command) {
    case 'serve':
      return serve(config);
    case 'migrate': {
      const opened = await openForCommand(config);
      try {
        const report = await migrate(opened.db);
        out(
          report.applied.length > 0
            ? `applied ${report.applied.join(', ')} on ${opened.description}`
            : `database is up to date (${report.alreadyApplied} migrations) on ${opened.description}`,
        );
      } finally {
        await opened.close();
      }
      return;
    }
    case 'seed':
      return withServices(config, async (opened) => {
        out(`reference catalog and historical figures are loaded on ${opened.description}`);
      });
    case 'keys':
      return keys(config, args);
    case 'users':
      return users(config, args);
    case 'viewer-tokens':
      return viewerTokens(config, args);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`dxoc: ${error.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  const known =
    error instanceof DatabaseSetupError ||
    error instanceof ConfigError ||
    error instanceof AppError ||
    error instanceof DatabaseUnavailableError;
  process.stderr.write(
    `dxoc: ${known ? (error as Error).message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
