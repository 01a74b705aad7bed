// Errors in OpenAI's shape ({error: {message, type, param, code}}), which every OpenAI-compatible client
// knows how to show; each message is one line saying what was wrong and what to send instead.

import type { ServerResponse } from 'node:http';

export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  404: 'invalid_request_error',
  405: 'invalid_request_error',
  413: 'invalid_request_error',
  429: 'rate_limit_error',
  503: 'server_error',
};

export function sendError(res: ServerResponse, e: RequestError): void {
  sendJson(res, e.status, { error: { message: e.message, type: TYPES[e.status] ?? 'server_error', param: null, code: e.code } }, e.headers);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
