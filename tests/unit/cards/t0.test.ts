import { describe, expect, it } from 'vitest';
import { CardError } from '../../../src/main/cards/errors';
import { transmitT0 } from '../../../src/main/cards/iso7816/t0';
import { hex, scriptedSession, toHexString } from './helpers';

describe('transmitT0', () => {
  it('follows a 61xx chain with GET RESPONSE and concatenates the data', async () => {
    const session = scriptedSession(['6104', '0102 6102', '0304 9000']);
    const response = await transmitT0(session, {
      cla: 0,
      ins: 0xa4,
      p1: 4,
      p2: 0,
      data: hex('A000000001'),
      le: 256,
    });
    expect(toHexString(response.data)).toBe('01020304');
    expect(response.sw).toBe(0x9000);
    expect(session.sentCopies).toEqual(['00A4040005A000000001', '00C0000004', '00C0000002']);
  });

  it('re-sends with the Le given by 6Cxx', async () => {
    const session = scriptedSession(['6C18', `${'41'.repeat(24)} 9000`]);
    const response = await transmitT0(session, { cla: 0, ins: 0xb0, p1: 0x82, p2: 0, le: 256 });
    expect(response.data.length).toBe(24);
    expect(session.sentCopies).toEqual(['00B0820000', '00B0820018']);
  });

  it('handles 6Cxx answered to a GET RESPONSE', async () => {
    const session = scriptedSession(['6100', '6C05', '0102030405 9000']);
    const response = await transmitT0(session, {
      cla: 0,
      ins: 0xcb,
      p1: 0x3f,
      p2: 0xff,
      data: hex('01'),
      le: 256,
    });
    expect(toHexString(response.data)).toBe('0102030405');
    expect(session.sentCopies).toEqual(['00CB3FFF0101', '00C0000000', '00C0000005']);
  });

  it('returns error status words untouched', async () => {
    const response = await transmitT0(scriptedSession(['6A82']), {
      cla: 0,
      ins: 0xa4,
      p1: 0,
      p2: 0x0c,
      data: hex('3F00'),
    });
    expect(response.sw).toBe(0x6a82);
  });

  it('stops a card that never stops answering 61xx', async () => {
    const session = scriptedSession(Array(100).fill('00 6101'));
    await expect(
      transmitT0(session, { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 1 }, { maxIterations: 10 }),
    ).rejects.toMatchObject({ kind: 'protocol' });
    expect(session.sent.length).toBe(11); // the command itself + 10 GET RESPONSE
  });

  it('stops a response that grows past the length cap', async () => {
    const session = scriptedSession(Array(100).fill(`${'00'.repeat(255)} 61FF`));
    await expect(
      transmitT0(session, { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 1 }, { maxResponseLength: 1000 }),
    ).rejects.toBeInstanceOf(CardError);
    expect(session.sent.length).toBeLessThan(10);
  });

  it('zeroes the encoded command when marked sensitive', async () => {
    const session = scriptedSession(['9000']);
    await transmitT0(
      session,
      { cla: 0, ins: 0x20, p1: 0, p2: 1, data: hex('31323334') },
      { sensitive: true },
    );
    expect(session.sentCopies[0]).toBe('002000010431323334');
    expect(Array.from(session.sent[0] ?? [1]).every((b) => b === 0)).toBe(true);
  });

  it('refuses extended lengths on a T=0 session before sending anything', async () => {
    const session = scriptedSession(['9000'], 'T0');
    await expect(transmitT0(session, { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 4096 })).rejects.toMatchObject({
      kind: 'protocol',
    });
    expect(session.sent).toHaveLength(0);
  });

  it('turns a reply without status word into a malformed error', async () => {
    await expect(
      transmitT0(scriptedSession(['90']), { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 1 }),
    ).rejects.toMatchObject({ kind: 'malformed' });
  });
});
