import type { Command } from 'commander';
import { loadSettings } from '../../config/config.js';
import { checkOAuthSetup } from '../../services/oauth-check.js';

/** `seqflow oauth check`: the OAuth mail setup, checked from this machine; exits 1 when something fails. */
export function registerOAuthCommands(program: Command): void {
  program
    .command('oauth')
    .description('connecting Google, Microsoft and OpenID mailboxes')
    .command('check')
    .description('check the OAuth setup: redirect URIs, token endpoints, client credentials, scopes')
    .action(async () => {
      const settings = loadSettings().values;
      const checks = await checkOAuthSetup(settings, settings.publicUrl ?? `http://localhost:${settings.port}`);
      for (const c of checks) console.log(`${c.result.toUpperCase().padEnd(4)} ${c.provider.padEnd(9)} ${c.check}: ${c.detail}`);
      if (checks.some((c) => c.result === 'fail')) process.exitCode = 1;
    });
}
