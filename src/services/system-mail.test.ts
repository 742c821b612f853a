import { describe, expect, it } from 'vitest';
import { smtpSettingsOfUrl } from './system-mail.js';

describe('SEQFLOW_SYSTEM_SMTP_URL', () => {
  it('should give host, port, TLS and sign-in when the URL has them all', () => {
    expect(smtpSettingsOfUrl('smtps://alerts%40acme.test:p%40ss@mail.acme.test:2465')).toEqual({ host: 'mail.acme.test', port: 2465, secure: true, auth: { user: 'alerts@acme.test', pass: 'p@ss' } });
  });
  it('should default to port 587 without TLS-on-connect and no sign-in when the URL is smtp:// with a host only', () => {
    expect(smtpSettingsOfUrl('smtp://relay.internal')).toEqual({ host: 'relay.internal', port: 587, secure: false });
  });
});
