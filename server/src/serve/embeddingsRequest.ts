// The body of POST /v1/embeddings, checked: `input` a string or a list of strings within the limits, an
// optional `model` that must be the one served, `encoding_format` float (the default) or base64, and
// `dimensions`, if given, the model's own. Token-id inputs are refused: this server tokenizes itself.

import { RequestError } from './openAiErrors';

export interface ServeLimits {
  /** The largest request body read, in bytes (413 beyond). */
  maxBodyBytes: number;
  /** The most inputs in one request (400 beyond; OpenAI's own limit is 2,048). */
  maxInputs: number;
  /** The longest input, in characters (400 beyond). */
  maxInputChars: number;
}

export const DEFAULT_LIMITS: ServeLimits = { maxBodyBytes: 4 * 1048576, maxInputs: 2048, maxInputChars: 65_536 };

export interface EmbeddingsRequest {
  inputs: string[];
  encoding: 'float' | 'base64';
}

/** `served`: the model names a request may ask for (the full id and the plain one). */
export function parseEmbeddingsRequest(text: string, limits: ServeLimits, served: readonly string[], dims: number): EmbeddingsRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw bad(
      'The request body is not JSON; send {"input": ["text", ...], "model": "..."} with content-type application/json.',
      'invalid_json',
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw bad('The request body must be a JSON object such as {"input": ["text"], "model": "..."}.', 'invalid_request');
  const { input, model, encoding_format: encoding, dimensions } = body as Record<string, unknown>;
  if (model !== undefined && model !== null && model !== '' && (typeof model !== 'string' || !served.includes(model))) {
    throw new RequestError(
      404,
      `The model ${JSON.stringify(model)} is not served here; this server serves ${served[0]} (GET /v1/models).`,
      'model_not_found',
    );
  }
  if (encoding !== undefined && encoding !== 'float' && encoding !== 'base64')
    throw bad(`encoding_format must be "float" or "base64"; got ${JSON.stringify(encoding)}.`, 'invalid_encoding_format');
  if (dimensions !== undefined && dimensions !== dims)
    throw bad(
      `This model's vectors have ${dims} dimensions and cannot be shortened; leave dimensions out or send ${dims}.`,
      'invalid_dimensions',
    );
  const inputs = typeof input === 'string' ? [input] : input;
  if (!Array.isArray(inputs)) throw bad('input must be a string or a list of strings.', 'invalid_input');
  if (inputs.length === 0) throw bad('input is an empty list; send at least one string.', 'invalid_input');
  if (inputs.length > limits.maxInputs)
    throw bad(`input holds ${inputs.length} strings; send at most ${limits.maxInputs} per request.`, 'too_many_inputs');
  for (const [i, s] of inputs.entries()) {
    if (typeof s === 'number' || (Array.isArray(s) && s.every(x => typeof x === 'number')))
      throw bad('Token ids are not accepted: send the text, which this server tokenizes with its own model.', 'token_ids_not_supported');
    if (typeof s !== 'string') throw bad(`input[${i}] is not a string; input must be a string or a list of strings.`, 'invalid_input');
    if (s.length > limits.maxInputChars)
      throw bad(`input[${i}] has ${s.length} characters; send at most ${limits.maxInputChars} per input.`, 'input_too_long');
  }
  return { inputs: inputs as string[], encoding: encoding === 'base64' ? 'base64' : 'float' };
}

function bad(message: string, code: string): RequestError {
  return new RequestError(400, message, code);
}
