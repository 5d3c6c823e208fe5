import { type ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { MAX_BODY_BYTES } from '@dxoc/contracts';
import { DatabaseUnavailableError } from '../db/errors';
import { AppError } from './errors';
import type { JsonLogger } from '../observability/logger';

/** Seconds an agent should wait before retrying when the database is down. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
}

export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/** Writes an error answer; used by the Nest filter and by the Express error handler for body-parser errors. */
export function sendError(response: Response, exception: unknown, logger?: JsonLogger): void {
  const answer = toHttpAnswer(exception, logger);
  for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
  response.status(answer.status).json(answer.body);
}

/**
 * The one place errors become HTTP answers: known errors → their status and { error, message, details };
 * anything else → 500 without internals (the cause is logged here, never sent).
 */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger?: JsonLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    sendError(host.switchToHttp().getResponse<Response>(), exception, this.logger);
  }
}

export function toHttpAnswer(exception: unknown, logger?: JsonLogger): HttpAnswer {
  if (exception instanceof AppError) {
    const body: Record<string, unknown> = { error: exception.code, message: exception.message };
    if (exception.details !== undefined) body.details = exception.details;
    return { status: exception.status, body, headers: exception.headers };
  }
  if (exception instanceof DatabaseUnavailableError) {
    return {
      status: 503,
      body: {
        error: 'database_unavailable',
        message: `the database is unavailable; nothing was stored; retry after ${DATABASE_RETRY_AFTER_SECONDS} s`,
      },
      headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) },
    };
  }
  const parserError = exception as BodyParserError;
  if (parserError?.type === 'entity.too.large') {
    return {
      status: 413,
      body: {
        error: 'payload_too_large',
        message: `the request body is larger than the limit of ${MAX_BODY_BYTES} bytes (2 MB); split the batch`,
      },
      headers: {},
    };
  }
  if (parserError?.type === 'entity.parse.failed') {
    return {
      status: 400,
      body: {
        error: 'invalid_batch',
        message: `the body is not valid JSON (${parserError.message ?? 'parse error'}). Nothing was stored.`,
        details: [{ index: null, field: 'body', message: `malformed JSON: ${parserError.message ?? 'parse error'}` }],
      },
      headers: {},
    };
  }
  if (parserError?.type === 'encoding.unsupported' || parserError?.type === 'charset.unsupported') {
    return { status: 415, body: { error: 'unsupported_encoding', message: parserError.message ?? 'unsupported encoding' }, headers: {} };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return { status, body: { error: status === 404 ? 'not_found' : 'http_error', message: exception.message }, headers: {} };
  }
  const detail = exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
  if (logger) logger.error('http.unexpected_error', { error: detail });
  else process.stderr.write(`unexpected error: ${detail}\n`);
  return { status: 500, body: { error: 'internal_error', message: 'an unexpected error occurred; it has been logged' }, headers: {} };
}
