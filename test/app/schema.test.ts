// Payload validation: what main accepts from a renderer or an HTTP client.
import { describe, expect, it } from 'vitest';
import { CALL_NAMES, CALLS, parseRequest } from '../../src/shared/channels';
import { PayloadError, s } from '../../src/shared/schema';

describe('schema helper', () => {
  const item = s.object({ id: s.int({ min: 0 }), name: s.optional(s.string({ max: 5 })), tags: s.array(s.oneOf(['a', 'b'] as const), { max: 2 }) });

  it('accepts a matching object and drops absent optionals', () => {
    expect(item.parse({ id: 3, tags: ['a'] }, 'x')).toEqual({ id: 3, tags: ['a'] });
  });

  it.each([
    [{ id: -1, tags: [] }, 'x.id: must be at least 0, got -1'],
    [{ id: 1.5, tags: [] }, 'x.id: expected an integer'],
    [{ id: 1, tags: ['c'] }, 'x.tags[0]: expected one of a, b'],
    [{ id: 1, tags: ['a', 'a', 'a'] }, 'x.tags: more than 2 items'],
    [{ id: 1, tags: [], name: 'toolong' }, 'x.name: longer than 5 characters'],
    [{ id: 1, tags: [], extra: true }, 'x: unknown field "extra"'],
    [null, 'x: expected an object, got null'],
    [[], 'x: expected an object, got array'],
  ])('rejects %j naming the field', (value, message) => {
    expect(() => item.parse(value, 'x')).toThrow(PayloadError);
    expect(() => item.parse(value, 'x')).toThrow(message);
  });

  it('rejects NaN and Infinity as numbers', () => {
    expect(() => s.number().parse(Number.NaN, 'n')).toThrow('n: expected a finite number');
    expect(() => s.number().parse(Infinity, 'n')).toThrow('n: expected a finite number');
  });
});

describe('channel registry', () => {
  it('gives every call a distinct channel in the driftlock namespace', () => {
    const channels = CALL_NAMES.map((n) => CALLS[n].channel);
    expect(new Set(channels).size).toBe(channels.length);
    for (const c of channels) expect(c).toMatch(/^driftlock:[a-z-]+:[a-z-]+$/);
  });

  it('validates requests by call name', () => {
    expect(parseRequest('openCase', { path: '/tmp/x.driftlock' })).toEqual({ path: '/tmp/x.driftlock' });
    expect(() => parseRequest('openCase', { path: '' })).toThrow('openCase.path: must have at least 1 character(s)');
    expect(() => parseRequest('importFiles', { paths: [] })).toThrow('importFiles.paths: needs at least 1 item(s)');
    expect(() => parseRequest('triage', { id: 1, status: 'suppressed' })).toThrow('triage.status: expected one of open, confirmed, dismissed');
    expect(parseRequest('getAppInfo', undefined)).toBeUndefined();
    expect(() => parseRequest('getAppInfo', { sneaky: 1 })).toThrow('getAppInfo: expected no payload');
  });
});
