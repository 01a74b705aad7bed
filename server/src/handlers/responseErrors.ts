// Every failure a request can meet becomes an LSP ResponseError with one clear line: bad parameters are
// InvalidParams, an index that cannot answer is RequestFailed. Nothing a client sends can crash the server.

import { ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { oneLine } from '../workspace/logging';
import { BadParamsError, UnavailableError } from '../workspace/workspaceSearch';

export function toResponseError(e: unknown): ResponseError<void> {
  if (e instanceof ResponseError) return e;
  if (e instanceof BadParamsError) return new ResponseError(ErrorCodes.InvalidParams, e.message);
  if (e instanceof UnavailableError) return new ResponseError(LSPErrorCodes.RequestFailed, e.message);
  return new ResponseError(LSPErrorCodes.RequestFailed, oneLine(e));
}

/** Wraps a request handler so that whatever it throws reaches the client as a ResponseError. */
export function guarded<P, R, T extends unknown[]>(handler: (params: P, ...rest: T) => R | Promise<R>): (params: P, ...rest: T) => Promise<R> {
  return async (params, ...rest) => {
    try {
      return await handler(params, ...rest);
    } catch (e) {
      throw toResponseError(e);
    }
  };
}

/** An object parameter, or InvalidParams. */
export function objectParams<T>(params: unknown, shape: string): T {
  if (!params || typeof params !== 'object' || Array.isArray(params)) throw new BadParamsError(`Expected parameters ${shape}.`);
  return params as T;
}
