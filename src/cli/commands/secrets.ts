import type { Command } from 'commander';
import { newSecretKey } from '../../services/secret-box.js';

/** `seqflow secrets new-key`: a key for SEQFLOW_SECRET_KEY (rotation is documented in docs/decisions.md). */
export function registerSecretCommands(program: Command): void {
  program
    .command('secrets')
    .description('keys that seal mailbox passwords and other secrets in the database')
    .command('new-key')
    .description('print a new random key for SEQFLOW_SECRET_KEY')
    .action(() => {
      console.log(newSecretKey());
    });
}
