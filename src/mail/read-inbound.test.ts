import { describe, expect, it } from 'vitest';
import { INBOUND_LIMITS } from '../domain/inbound-limits.js';
import { headerBlockEnd, readInboundMessage } from './read-inbound.js';

const head = 'From: lena@example.com\r\nSubject: Re: Hi\r\nIn-Reply-To: <ours@acme.test>\r\nMessage-ID: <r1@example.com>';

describe('readInboundMessage', () => {
  it('should find where the header block ends when line ends are CRLF or bare LF', () => {
    expect(headerBlockEnd(Buffer.from(`${head}\r\n\r\nbody`), 1024)).toBe(head.length);
    const lf = head.replace(/\r\n/g, '\n');
    expect(headerBlockEnd(Buffer.from(`${lf}\n\nbody`), 1024)).toBe(lf.length);
    expect(headerBlockEnd(Buffer.from(`${head}\r\n\r\nbody`), 10)).toBeNull();
  });

  it('should read the headers only, and call it no problem, when a message is larger than the source cap', async () => {
    const raw = Buffer.concat([Buffer.from(`${head}\r\nContent-Type: text/plain\r\n\r\n`), Buffer.alloc(INBOUND_LIMITS.maxSourceBytes + 1, 'a')]);
    const read = await readInboundMessage(raw);
    expect(read).toMatchObject({ headersOnly: true, problem: null });
    expect(read.mail?.inReplyTo).toBe('<ours@acme.test>');
    expect(read.mail?.text ?? '').toBe('');
  });

  it('should read the headers of a fetched head when the rest of the message was not fetched', async () => {
    const read = await readInboundMessage(Buffer.from(`${head}\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Ty`), { truncated: true });
    expect(read).toMatchObject({ headersOnly: true, problem: null });
    expect(read.mail?.subject).toBe('Re: Hi');
  });

  it('should report HEADER_TOO_LARGE when a fetched head holds no end of the header block', async () => {
    const read = await readInboundMessage(Buffer.from(`${head}\r\nX-Long: ${'x'.repeat(1000)}`), { truncated: true });
    expect(read).toMatchObject({ mail: null, problem: { reason: 'HEADER_TOO_LARGE' } });
  });

  it('should read a message that is only a header block like any other when it is small', async () => {
    const read = await readInboundMessage(Buffer.from(`${head}\r\n`));
    expect(read).toMatchObject({ headersOnly: false, problem: null });
    expect(read.mail?.messageId).toBe('<r1@example.com>');
  });
});
