import { z } from 'zod';

/** OAuth mailboxes (issue #16): connect with Google, Microsoft or the configured OpenID provider. */

export const providerParams = z.object({ id: z.string(), provider: z.string().describe('google, microsoft or oidc') });
export const callbackParams = z.object({ provider: z.string() });

export const startBody = z
  .object({
    inboxId: z.string().regex(/^\d+$/).optional().describe('Reconnect this OAuth inbox instead of connecting a new one'),
    aliases: z.array(z.email()).max(50).optional().describe('Send-as addresses of a new inbox (verified send-as at the provider)'),
  })
  .strict();

export const started = z.object({ authorizationUrl: z.string().describe("Send the rep's browser here to sign in and consent") });

export const providers = z.object({
  results: z.array(z.object({ id: z.string(), label: z.string(), redirectUri: z.string().describe('Register this exact URI at the provider') })),
});

export const callbackQuery = z.object({
  code: z.string().optional(),
  state: z.string().optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
  scope: z.string().optional(),
  iss: z.string().optional(),
});

export const oauthStatus = z.object({
  provider: z.string(),
  providerLabel: z.string(),
  login: z.string(),
  state: z.enum(['connected', 'reconnect', 'admin', 'retrying']).describe('connected; reconnect: the rep must press Reconnect; admin: an admin must act; retrying: the provider is unreachable, Seqflow retries'),
  message: z.string().nullable(),
  code: z.string().nullable(),
  since: z.string().nullable(),
  waitingEnrollments: z.number().int().describe('Enrollments paused INBOX_DISCONNECTED, their emails waiting for the mailbox'),
});

export type OAuthProviders = z.infer<typeof providers>;
export type OAuthStatus = z.infer<typeof oauthStatus>;
