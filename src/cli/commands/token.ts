import { Command, InvalidArgumentError } from 'commander';
import { openStore } from '../../server.js';
import { settingsOf, withSettingFlags } from '../settings-flags.js';
import { SeqflowError } from '../../services/errors.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../../services/tokens.js';
import { SCOPES } from '../../domain/scopes.js';

const id = (v: string): number => {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError('give a numeric id');
  return Number(v);
};

const withStorage = (cmd: Command) => withSettingFlags(cmd, 'token');

/** Runs fn on the store and turns a service error into a one-line message and exit code 1. */
async function onStore<T>(cmd: Command, fn: (db: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
  const s = settingsOf(cmd).values;
  const db = await openStore(s);
  try {
    return await fn(db);
  } catch (err) {
    if (err instanceof SeqflowError) throw new Error(err.errors?.map((e) => e.message).join('\n') ?? err.message);
    throw err;
  } finally {
    await db.close();
  }
}

/** `seqflow token create|list|revoke`: private-app style API tokens, straight on the database. */
export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('API tokens (private-app style, stored hashed)');

  withStorage(token.command('create'))
    .description('create an API token and print it (it is shown only this once)')
    .requiredOption('--name <name>', 'what the token is for')
    .requiredOption('--scopes <list>', `comma-separated scopes: ${SCOPES.join(', ')}, or * for all`)
    .option('--user <id>', 'the user the token acts as', id)
    .action(async (o, cmd: Command) => {
      const scopes = String(o.scopes)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const created = await onStore(cmd, (db) => createApiToken(db.kysely, { name: o.name, scopes, userId: o.user ?? null }, Date.now()));
      console.error(`Token ${created.id} "${created.name}" with scopes ${created.scopes.join(', ')}. Store it now: it is not shown again.`);
      console.log(created.token);
    });

  withStorage(token.command('list'))
    .description('list live API tokens (never their secrets)')
    .action(async (_o, cmd: Command) => {
      const tokens = await onStore(cmd, (db) => listApiTokens(db.kysely));
      for (const t of tokens) console.log(`${t.id}\t${t.name}\t${t.scopes.join(',')}\t${t.userId ?? '-'}\t${new Date(t.createdAt).toISOString()}`);
    });

  withStorage(token.command('revoke'))
    .description('revoke an API token')
    .argument('<id>', 'the token id (see token list)', id)
    .action(async (tokenId: number, _o, cmd: Command) => {
      await onStore(cmd, (db) => revokeApiToken(db.kysely, tokenId, Date.now()));
      console.log(`Token ${tokenId} revoked.`);
    });
}
