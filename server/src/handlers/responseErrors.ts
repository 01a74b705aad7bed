// Every failure a request can meet becomes an LSP ResponseError with one clear line: bad parameters are
// InvalidParams, an index that cannot answer is RequestFailed. Nothing a client sends can crash the server.

import { CancellationToken, ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { oneLine } from '../workspace/logging';
import { BadParamsError, UnavailableError } from '../workspace/serviceErrors';

export function toResponseError(e: unknown): ResponseError<void> {
  if (e instanceof ResponseError) return e;
  if (e instanceof BadParamsError) return new ResponseError(ErrorCodes.InvalidParams, e.message);
  if (e instanceof UnavailableError) return new ResponseError(LSPErrorCodes.RequestFailed, e.message);
  return new ResponseError(LSPErrorCodes.RequestFailed, oneLine(e));
}

/** Wraps a request handler so that whatever it throws reaches the client as a ResponseError. */
export function guarded<P, R, T extends unknown[]>(
  handler: (params: P, ...rest: T) => R | Promise<R>,
): (params: P, ...rest: T) => Promise<R> {
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
  if (!isParamsObject(params)) throw new BadParamsError(`Expected parameters ${shape}; got ${kindOf(params)}.`);
  return params as T;
}

/** Like objectParams, for requests whose parameters may be left out (null or absent). */
export function optionalObjectParams<T>(params: unknown, shape: string): T | undefined {
  return params === undefined || params === null ? undefined : objectParams<T>(params, shape);
}

function isParamsObject(params: unknown): params is object {
  // Positional parameters are spread into the handler's arguments, so an empty list leaves the cancellation
  // token where the parameters belong: that is no parameters, not an object of them.
  return !!params && typeof params === 'object' && !Array.isArray(params) && !CancellationToken.is(params);
}

function kindOf(params: unknown): string {
  if (CancellationToken.is(params)) return 'none';
  return Array.isArray(params) ? 'a list' : params === null ? 'null' : typeof params;
}
