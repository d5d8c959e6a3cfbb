// ttrpc's own envelope messages (upstream request.proto), described in code so the lib needs no
// .proto file at run time. Field numbers are the wire contract.
import protobuf from 'protobufjs';

export interface KeyValue {
  key: string;
  value: string;
}

export interface Request {
  service: string;
  method: string;
  payload: Uint8Array;
  /** Relative deadline set by the caller; 0 means none. */
  timeoutNano: number;
  metadata: KeyValue[];
}

export interface Status {
  code: number;
  message: string;
}

export interface Response {
  status?: Status;
  payload: Uint8Array;
}

const root = protobuf.Root.fromJSON({
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: {
              fields: { typeUrl: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } },
            },
          },
        },
        rpc: {
          nested: {
            Status: {
              fields: {
                code: { type: 'int32', id: 1 },
                message: { type: 'string', id: 2 },
                details: { rule: 'repeated', type: 'google.protobuf.Any', id: 3 },
              },
            },
          },
        },
      },
    },
    ttrpc: {
      nested: {
        KeyValue: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Request: {
          fields: {
            service: { type: 'string', id: 1 },
            method: { type: 'string', id: 2 },
            payload: { type: 'bytes', id: 3 },
            timeoutNano: { type: 'int64', id: 4 },
            metadata: { rule: 'repeated', type: 'KeyValue', id: 5 },
          },
        },
        Response: {
          fields: {
            status: { type: 'google.rpc.Status', id: 1 },
            payload: { type: 'bytes', id: 2 },
          },
        },
      },
    },
  },
});

const RequestType = root.lookupType('ttrpc.Request');
const ResponseType = root.lookupType('ttrpc.Response');
// Defaults filled in, int64 as a JS number (nanosecond timeouts fit comfortably below 2^53).
const asPlain: protobuf.IConversionOptions = {
  longs: Number,
  bytes: Buffer,
  defaults: true,
  arrays: true,
};

export const encodeRequest = (request: Request): Uint8Array =>
  RequestType.encode(RequestType.fromObject(request)).finish();

export const decodeRequest = (bytes: Uint8Array): Request =>
  RequestType.toObject(RequestType.decode(bytes), asPlain) as Request;

export const encodeResponse = (response: Response): Uint8Array =>
  ResponseType.encode(ResponseType.fromObject(response)).finish();

export const decodeResponse = (bytes: Uint8Array): Response =>
  ResponseType.toObject(ResponseType.decode(bytes), asPlain) as Response;
