import { describe, expect, test } from 'vitest';
import { hashPassword, passwordSchema, verifyPassword } from '../../../app/auth/passwords.server';

describe('password hashing', () => {
  test('a hash is scrypt with its parameters (N=2^15, r=8, p=1), a 16-byte salt and a 64-byte key', async () => {
    const stored = await hashPassword('correct horse battery');
    const [name, n, r, p, salt, key] = stored.split('$');
    expect([name, n, r, p]).toEqual(['scrypt', '32768', '8', '1']);
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64')).toHaveLength(64);
  });

  test('the right password verifies, a wrong one does not, and two hashes of one password differ (salted)', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse battery', b)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  test('composed and decomposed Unicode spellings of a password are the same password', async () => {
    const stored = await hashPassword('pa\u00dfw\u00f6rd-caf\u00e9');
    expect(await verifyPassword('pa\u00dfwo\u0308rd-cafe\u0301', stored)).toBe(true);
  });

  test.each([
    ['empty', ''],
    ['not scrypt', 'bcrypt$2b$10$abc'],
    ['too few parts', 'scrypt$32768$8$1$c2FsdA=='],
    ['absurd N (would allocate gigabytes)', 'scrypt$1073741824$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5'],
    ['empty salt', 'scrypt$32768$8$1$$a2V5'],
  ])('a malformed stored hash (%s) never verifies', async (_name, stored) => {
    expect(await verifyPassword('anything at all', stored)).toBe(false);
  });
});

describe('passwordSchema', () => {
  test.each([
    ['9 characters', 'a'.repeat(9), false],
    ['10 characters', 'a'.repeat(10), true],
    ['200 characters', 'a'.repeat(200), true],
    ['201 characters', 'a'.repeat(201), false],
  ])('%s → valid: %s', (_name, value, ok) => {
    const r = passwordSchema.safeParse(value);
    expect(r.success).toBe(ok);
    if (!r.success) expect(r.error.issues[0]?.message).toBe('the password must be 10 to 200 characters long');
  });

  test('a non-string is refused', () => {
    expect(passwordSchema.safeParse(undefined).success).toBe(false);
    expect(passwordSchema.safeParse(12345678901).success).toBe(false);
  });
});
