import { describe, expect, it } from 'vitest';
import {
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  metadataFromPairs,
  metadataToPairs,
  metadataValue,
} from '../src/index';

describe('messages', () => {
  it('encodes Request with upstream field numbers', () => {
    const bytes = encodeRequest({
      service: 'a',
      method: 'b',
      payload: Buffer.from([1]),
      timeoutNano: 5,
      metadata: [{ key: 'k', value: 'v' }],
    });
    // 1:service 2:method 3:payload 4:timeout_nano 5:metadata{1:key 2:value}
    expect(Buffer.from(bytes).toString('hex')).toBe(
      '0a0161120162' + '1a0101' + '2005' + '2a060a016b120176',
    );
  });

  it('round-trips a Request with a large timeout and defaults', () => {
    const timeoutNano = 90 * 24 * 3600 * 1e9; // beyond 2^32, needs the int64 path
    const decoded = decodeRequest(
      encodeRequest({
        service: 's',
        method: 'm',
        payload: new Uint8Array(),
        timeoutNano,
        metadata: [],
      }),
    );
    expect(decoded).toMatchObject({ service: 's', method: 'm', timeoutNano, metadata: [] });
    expect(decoded.payload).toHaveLength(0);
  });

  it('decodes a Response whose Status is google.rpc.Status at field 1', () => {
    // status{code:5, message:"nf"}, payload "x"
    const wire = Buffer.from('0a0608051202' + '6e66' + '120178', 'hex');
    const response = decodeResponse(wire);
    expect(response.status).toEqual({ code: 5, message: 'nf', details: [] });
    expect(Buffer.from(response.payload).toString()).toBe('x');
    expect(decodeResponse(encodeResponse(response)).status?.code).toBe(5);
  });

  it('rejects bytes that are not a Request', () => {
    expect(() => decodeRequest(Buffer.from('0f', 'hex'))).toThrow(/index out of range/);
    expect(() => decodeRequest(Buffer.from('2a0312', 'hex'))).toThrow(/index out of range/);
  });

  it('keeps metadata as a lower-cased multimap', () => {
    const md = metadataFromPairs([
      { key: 'X-Id', value: '1' },
      { key: 'x-id', value: '2' },
      { key: 'traceparent', value: 't' },
    ]);
    expect(md).toEqual({ 'x-id': ['1', '2'], traceparent: ['t'] });
    expect(metadataValue(md, 'X-ID')).toBe('1');
    expect(metadataToPairs(md)).toHaveLength(3);
  });
});
