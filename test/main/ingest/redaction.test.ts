import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../../src/core';
import { BUILTIN_POLICIES, cardPrefixPlausible, ibanValid, luhnValid, parsePolicyFile, Pseudonymizer, Redactor, resolvePolicy } from '../../../src/main/ingest/redaction';
import { DETECTORS } from '../../../src/main/ingest/redaction/detectors';
import type { RedactionPolicy } from '../../../src/shared/redaction-policy';

const KEY = Buffer.alloc(32, 1);
const mask: RedactionPolicy = BUILTIN_POLICIES.strict!;

describe('checksums', () => {
  it('Luhn accepts published test card numbers and rejects a changed digit', () => {
    for (const n of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '4012888888881881', '3530111333300000']) {
      expect(luhnValid(n), n).toBe(true);
      expect(cardPrefixPlausible(n), n).toBe(true);
    }
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true); // the textbook example
    expect(cardPrefixPlausible('1700000000000')).toBe(false); // an epoch-ms timestamp
  });

  it('IBAN mod-97 accepts the standard examples and rejects a changed digit', () => {
    for (const i of ['GB82WEST12345698765432', 'DE89370400440532013000', 'FR1420041010050500013M02606', 'NL91ABNA0417164300']) expect(ibanValid(i), i).toBe(true);
    expect(ibanValid('GB82WEST12345698765433')).toBe(false);
    expect(ibanValid('DE89 3704')).toBe(false);
  });
});

describe('detectors (mask mode)', () => {
  const r = new Redactor(mask, KEY);
  const cases: [string, string][] = [
    ['mail alice.smith+test@example.co.uk now', 'mail <EMAIL> now'],
    ['from 192.168.10.254:8443 to 10.0.0.1', 'from <IPV4>:8443 to <IPV4>'],
    ['v6 2001:0db8:85a3:0000:0000:8a2e:0370:7334 and fe80::1 and ::ffff:10.1.2.3', 'v6 <IPV6> and <IPV6> and <IPV6>'],
    ['card 4111 1111 1111 1111 and 5555-5555-5555-4444 and 378282246310005', 'card <CARD> and <CARD> and <CARD>'],
    ['iban DE89 3704 0044 0532 0130 00 or GB82WEST12345698765432', 'iban <IBAN> or <IBAN>'],
    ['call +44 20 7946 0958 or (555) 123-4567 or 555-123-4567', 'call <PHONE> or <PHONE> or <PHONE>'],
    ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX2hlcmU', 'jwt <JWT>'],
    ['Authorization: Bearer abcdef0123456789 password=hunter22 "api_key": "k-123456"', 'Authorization: Bearer <SECRET> password=<SECRET> "api_key": "<SECRET>"'],
    ['aws AKIAIOSFODNN7EXAMPLE gh ghp_0123456789abcdefghijklmnopqrstuvwxyzAB', 'aws <SECRET> gh <SECRET>'],
  ];
  it.each(cases)('%s', (input, expected) => expect(r.redactText(input)).toBe(expected));

  it('leaves look-alikes alone', () => {
    for (const s of [
      'at 12:30:45.123 on 2024-01-02T03:04:05Z',
      'version 1.2.3 build 2024.01.02',
      'ts=1700000000000 id=4111111111111112 n=1234567890123',
      'mac 00:1a:2b:3c:4d:5e hash deadbeef0123',
      'range 1-2-3 and -5 and +3 and a::b',
      'status=200 duration_ms=17 port 8080',
      'iban-like DE00 0000 0000 0000 0000 00',
    ]) {
      expect(r.redactText(s), s).toBe(s);
    }
  });

  // A guard only decides whether its detector's regex runs, so it must hold
  // wherever the regex finds a value its confirm step accepts.
  it('each guard holds wherever its detector finds a value (random lines of PII-looking pieces)', () => {
    let a = 17;
    const random = (): number => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pieces = ['4111', ' ', '-', '1111', '5', '0', 'DE89', 'GB', '3704', '@', 'a.b', '.io', 'x', '+44', '(555)', '123', '::', ':', 'fe80', '10.', '1.', 'eyJhbGci', 'abcdefgh.', 'Bearer', 'password=', 'AKIA', 'IOSFODNN7EXAMPLE', 'ghp_', 'Z', '.', '4111 1111 1111 1111', '378282246310005', '5555-5555-5555-4444', 'DE89 3704 0044 0532 0130 00'];
    const matched = DETECTORS.map(() => 0);
    for (let n = 0; n < 30_000; n++) {
      let line = '';
      const k = 1 + Math.floor(random() * 16);
      for (let i = 0; i < k; i++) line += pieces[Math.floor(random() * pieces.length)];
      DETECTORS.forEach((d, i) => {
        const found = [...line.matchAll(new RegExp(d.pattern.source, d.pattern.flags))].some((m) => d.confirm(m[0], m.slice(1)) !== null);
        if (!found) return;
        matched[i]!++;
        expect(d.guard(line), `${d.kind}: ${line}`).toBe(true);
      });
    }
    expect(matched.every((m) => m > 0), matched.join(' ')).toBe(true);
  });
});

describe('modes', () => {
  it('pseudonymise: equal values equal, different values different, key-dependent, letters only', () => {
    const a = new Redactor(BUILTIN_POLICIES.default!, KEY);
    const out = a.redactText('alice@example.com bob@example.com ALICE@example.com 10.0.0.1 10.0.0.1')!;
    const m = /^<EMAIL:([a-z]{12})> <EMAIL:([a-z]{12})> <EMAIL:([a-z]{12})> <IPV4:([a-z]{12})> <IPV4:([a-z]{12})>$/.exec(out);
    expect(m, out).not.toBeNull();
    expect(m![1]).not.toBe(m![2]);
    expect(m![1]).toBe(m![3]); // emails compare case-insensitively
    expect(m![4]).toBe(m![5]);
    const b = new Redactor(BUILTIN_POLICIES.default!, Buffer.alloc(32, 2));
    expect(b.redactText('alice@example.com')).not.toBe(`<EMAIL:${m![1]}>`);
    // Canonicalisation keeps the pseudonym, so the engine sees equal values as equal.
    expect(canonicalize(out)).toBe(out);
    expect(a.counts).toEqual({ email: 3, ipv4: 2 });
  });

  it('drop: the whole event goes, and is counted (with the matches found before it)', () => {
    const r = new Redactor({ name: 'p', rules: [{ kind: 'card', mode: 'drop' }, { kind: 'email', mode: 'mask' }] }, KEY);
    expect(r.redactText('paid 4111111111111111 by a@b.io')).toBeNull();
    expect(r.redactText('mail a@b.io')).toBe('mail <EMAIL>');
    expect(r.counts).toEqual({ card: 1, email: 2 }); // the email rule runs before the card rule
  });

  it('user regex rules run first and get their own placeholder', () => {
    const r = new Redactor(
      { name: 'p', rules: [{ kind: 'regex', name: 'employee-id', pattern: 'EMP-\\d{6}', mode: 'pseudonymise' }, { kind: 'phone', mode: 'mask' }] },
      KEY,
    );
    const out = r.redactText('EMP-123456 and EMP-123456 called +1 202 555 0143')!;
    expect(out).toMatch(/^<EMPLOYEE_ID:([a-z]{12})> and <EMPLOYEE_ID:\1> called <PHONE>$/);
  });

  it('structured fields: strings redacted, secret-named keys replaced whole, nesting kept', () => {
    const r = new Redactor(mask, KEY);
    expect(r.redactFields({ user: { email: 'x@y.org', password: 'pw', pin: 1234, tags: ['10.1.1.1', 'ok'] }, n: 5, token: '' })).toEqual({
      user: { email: '<EMAIL>', password: '<SECRET>', pin: 1234, tags: ['<IPV4>', 'ok'] },
      n: 5,
      token: '',
    });
  });

  it('a field named __proto__ (as JSON.parse makes it) is redacted and kept as data, before or after a redacted field', () => {
    const r = new Redactor(mask, KEY);
    for (const text of ['{"__proto__":{"email":"x@y.org"},"a":"ok"}', '{"a":"x@y.org","__proto__":"kept"}', '{"__proto__":"kept","a":"x@y.org"}']) {
      const out = r.redactFields(JSON.parse(text) as Record<string, unknown>)!;
      expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
      expect(Object.keys(out)).toEqual(Object.keys(JSON.parse(text) as object));
      expect(JSON.stringify(out)).not.toContain('x@y.org');
      expect(JSON.stringify(out)).toMatch(/"__proto__":/);
    }
  });

  it('a repeated field value gives the same result and is counted every time (remembered values included)', () => {
    const r = new Redactor(BUILTIN_POLICIES.default!, KEY);
    const fields = { user: 'bob@example.org', route: '/a', ip: '10.0.0.7' };
    const first = r.redactFields(fields)!;
    expect(first.user).toMatch(/^<EMAIL:[a-z]{12}>$/);
    for (let i = 0; i < 4; i++) expect(r.redactFields({ ...fields })).toEqual(first);
    expect(r.counts).toEqual({ email: 5, ipv4: 5 });
    // The text path agrees with the field path.
    expect(r.redactText('bob@example.org')).toBe(first.user);
    expect(r.counts.email).toBe(6);
    // A drop rule drops the event every time, not only the first.
    const dropper = new Redactor({ name: 'd', rules: [{ kind: 'email', mode: 'drop' }] }, KEY);
    expect(dropper.redactFields({ a: 'x@y.org' })).toBeNull();
    expect(dropper.redactFields({ a: 'x@y.org' })).toBeNull();
    expect(dropper.counts).toEqual({ email: 2 });
  });

  it('none redacts nothing', () => {
    const r = new Redactor(BUILTIN_POLICIES.none!, KEY);
    expect(r.redactText('alice@example.com 4111111111111111')).toBe('alice@example.com 4111111111111111');
  });
});

describe('policies', () => {
  it('resolves built-in names and rejects unknown ones', () => {
    expect(resolvePolicy('default').name).toBe('default');
    expect(() => resolvePolicy('lenient')).toThrow(/unknown redaction policy/);
    expect(() => resolvePolicy('./missing-policy.json')).toThrow(/no such policy file/);
  });

  it('parses a file that extends a built-in, with errors naming the field', () => {
    const p = parsePolicyFile(
      'acme.json',
      JSON.stringify({ name: 'acme', extends: 'default', rules: [{ kind: 'email', mode: 'mask' }, { kind: 'regex', name: 'ticket', pattern: 'T-\\d+', mode: 'mask' }] }),
    );
    expect(p.name).toBe('acme');
    expect(p.rules.find((r) => r.kind === 'email')).toEqual({ kind: 'email', mode: 'mask' });
    expect(p.rules.find((r) => r.kind === 'ipv4')).toEqual({ kind: 'ipv4', mode: 'pseudonymise' });
    expect(p.rules.filter((r) => r.kind === 'regex')).toHaveLength(1);
    expect(() => parsePolicyFile('p.json', '{"rules":[{"kind":"email","mode":"hide"}]}')).toThrow('p.json: rules[0].mode: must be one of mask, pseudonymise, drop');
    expect(() => parsePolicyFile('p.json', '{"rules":[{"kind":"regex","name":"x","pattern":"(","mode":"mask"}]}')).toThrow(/rules\[0\]\.pattern/);
    expect(() => parsePolicyFile('p.json', '{"rules":[{"kind":"regex","name":"x","pattern":"a*","mode":"mask"}]}')).toThrow(/empty string/);
    expect(() => parsePolicyFile('p.json', '{"extends":"loose","rules":[]}')).toThrow(/extends/);
    expect(() => parsePolicyFile('p.json', 'nope')).toThrow(/not valid JSON/);
  });
});

describe('Pseudonymizer', () => {
  it('its MAC is HMAC-SHA256 (node:crypto createHmac as the reference)', () => {
    for (const key of [Buffer.alloc(16, 7), Buffer.alloc(32, 0xa5), Buffer.from('k'.repeat(64))]) {
      const p = new Pseudonymizer(key);
      for (const data of ['', 'email\u0000alice@example.com', 'ü'.repeat(100)]) {
        expect(p.mac(data).equals(createHmac('sha256', key).update(data, 'utf8').digest())).toBe(true);
      }
    }
    expect(() => new Pseudonymizer(Buffer.alloc(8))).toThrow(/16 to 64 bytes/);
  });
});
