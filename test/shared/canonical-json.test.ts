import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonBytes } from '../../src/shared/canonical-json';

/** A double from its IEEE 754 bit pattern (RFC 8785 Appendix B lists them so). */
function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe('canonicalJson (RFC 8785)', () => {
  it('reproduces the §3.2.2 example (literals, numbers, string escapes)', () => {
    // The input text of RFC 8785 §3.2.2, verbatim.
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    const expected = String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`;
    expect(canonicalJson(JSON.parse(input))).toBe(expected);
  });

  it('sorts members by UTF-16 code units (§3.2.3 example)', () => {
    const input = String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`;
    const out = canonicalJson(JSON.parse(input));
    const names = [...out.matchAll(/"([^"]*)":"([^"]*)"/g)].map((m) => m[2]);
    // The RFC's order; code-point order would put the emoji (U+1F600) last.
    expect(names).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
    expect(out.startsWith('{"\\r":"Carriage Return","1":"One","\u0080":"Control"')).toBe(true);
  });

  it('serializes the Appendix B numbers exactly', () => {
    const table: [string, string][] = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ];
    for (const [bits, text] of table) expect(canonicalJson(fromBits(bits)), bits).toBe(text);
  });

  it('rejects NaN and Infinity (Appendix B) and other non-JSON values, naming the path', () => {
    expect(() => canonicalJson(fromBits('7fffffffffffffff'))).toThrow(/\$ is NaN/);
    expect(() => canonicalJson({ a: [1, fromBits('7ff0000000000000')] })).toThrow(/\$\.a\[1\] is Infinity/);
    expect(() => canonicalJson({ a: [undefined] })).toThrow(/\$\.a\[0\] is undefined/);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(/\$\.d is a Date object/);
    expect(() => canonicalJson(10n)).toThrow(/bigint/);
    expect(() => canonicalJson({ s: 'a\ud800b' })).toThrow(/lone surrogate/);
    expect(() => canonicalJson({ ['\udc00']: 1 })).toThrow(/lone surrogate/);
  });

  it('drops undefined members, keeps nesting, no whitespace', () => {
    expect(canonicalJson({ z: { y: [1, { b: 2, a: 1 }], x: undefined }, a: '' })).toBe('{"a":"","z":{"y":[1,{"a":1,"b":2}]}}');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson(Object.create(null))).toBe('{}');
  });

  it('is a fixed point and independent of insertion order (property)', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const keys = ['a', 'B', 'é', '\u{1F600}', '10', '1', '', 'ab', '\u00ff', '\uff01'];
    for (let t = 0; t < 200; t++) {
      const entries = keys.filter(() => rand() < 0.6).map((k) => [k, Math.round((rand() - 0.5) * 1e6) / 64] as const);
      const shuffled = [...entries].sort(() => rand() - 0.5);
      const a = canonicalJson(Object.fromEntries(entries));
      expect(canonicalJson(Object.fromEntries(shuffled))).toBe(a);
      expect(canonicalJson(JSON.parse(a))).toBe(a);
      expect(JSON.parse(a)).toEqual(Object.fromEntries(entries));
    }
  });

  it('encodes to UTF-8 bytes', () => {
    expect(Array.from(canonicalJsonBytes({ e: '€' }))).toEqual([0x7b, 0x22, 0x65, 0x22, 0x3a, 0x22, 0xe2, 0x82, 0xac, 0x22, 0x7d]);
  });
});
