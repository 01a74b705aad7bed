// The errors the IndexService's requests throw for a caller to show, whatever the door: the language server
// turns them into LSP ResponseErrors (handlers/responseErrors.ts), the MCP server into tool errors.

/** Bad parameters: the caller sent something the request cannot take (LSP: InvalidParams). */
export class BadParamsError extends Error {}

/** The index cannot answer yet (starting) or at all (the model is missing) (LSP: RequestFailed). */
export class UnavailableError extends Error {}
