/**
 * Known errors: each carries its HTTP status, a stable machine code and a plain-English message.
 * The global exception filter turns them into { error, message, details }.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown) => new AppError(400, code, message, details);
export const unauthorized = (message: string) => new AppError(401, 'unauthorized', message, undefined, { 'WWW-Authenticate': 'Bearer' });
export const forbidden = (code: string, message: string, details?: unknown) => new AppError(403, code, message, details);
export const notFound = (message: string) => new AppError(404, 'not_found', message);
