import { type ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { MAX_BODY_BYTES } from '@dxoc/contracts';
import { DatabaseUnavailableError, type UnavailableReason } from '../db/errors';
import { AppError } from './errors';
import type { JsonLogger } from '../observability/logger';

/** Seconds an agent should wait before retrying when the database is down. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** What a client (and the operator reading its logs) is told of why. */
const UNAVAILABLE_REASONS: Record<UnavailableReason, string> = {
  unreachable: 'it cannot be reached',
  timeout: 'it did not answer in time',
  restarting: 'it is shutting down or starting',
  disk_full: 'its disk is full',
  out_of_resources: 'it is out of memory or connections',
  read_only: 'it is read-only',
  storage_error: 'its files cannot be read or written',
};

interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
  /** set by http-errors: the message is meant for the client (body-parser's own errors) */
  expose?: boolean;
  /** zlib's code when the body could not be decompressed (Z_DATA_ERROR, ERR_BROTLI_…) */
  code?: string;
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

/** An error body-parser raised while reading the body (http-errors with a 400 status meant for the client). */
function isBodyReadError(error: BodyParserError | null | undefined): error is BodyParserError {
  return !!error && !(error instanceof HttpException) && error.status === 400 && error.expose === true;
}

export function toHttpAnswer(exception: unknown, logger?: JsonLogger): HttpAnswer {
  if (exception instanceof AppError) {
    const body: Record<string, unknown> = { error: exception.code, message: exception.message };
    if (exception.details !== undefined) body.details = exception.details;
    return { status: exception.status, body, headers: exception.headers };
  }
  if (exception instanceof DatabaseUnavailableError) {
    // the operator fixes the cause (frees disk, makes the data dir writable, restarts the database); dxoc needs no
    // restart, and the agent's retry with the same batchId is stored once. A database that refused the write
    // stored nothing; one that did not answer may have received the write (a batch of new points is one statement,
    // its own commit) and store it when the network comes back: the retry is then answered as a duplicate.
    const outcome =
      exception.reason === 'timeout'
        ? 'it may have stored the batch, or store it once reached again; retrying with the same batchId is safe (a stored batch is answered as a duplicate, never stored twice)'
        : 'nothing was stored';
    return {
      status: 503,
      body: {
        error: 'database_unavailable',
        message: `the database is unavailable (${UNAVAILABLE_REASONS[exception.reason]}); ${outcome}; retry after ${DATABASE_RETRY_AFTER_SECONDS} s`,
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
  if (parserError?.type === 'request.aborted') {
    // the client went away mid-body (a slow link, a killed agent): nobody reads this answer and nothing is wrong
    // with the server, so it is no error line; the agent resends the same batchId
    logger?.debug('http.request_aborted', { message: parserError.message });
    return {
      status: 400,
      body: { error: 'request_aborted', message: 'the request body ended before its announced length. Nothing was stored.' },
      headers: {},
    };
  }
  if (isBodyReadError(parserError)) {
    // a body that cannot be read: a compressed body that does not decompress (Content-Encoding: gzip/br/deflate on a
    // plain or truncated body), or one shorter or longer than its Content-Length. The client's fault, not ours.
    const reason =
      parserError.code?.startsWith('Z_') || parserError.code?.startsWith('ERR_') ? 'cannot decompress the body' : 'cannot read the body';
    const detail = `${reason}: ${parserError.message ?? 'unreadable body'}`;
    return {
      status: 400,
      body: {
        error: 'invalid_batch',
        message: `the body could not be read (${detail}). Check Content-Encoding and Content-Length. Nothing was stored.`,
        details: [{ index: null, field: 'body', message: detail }],
      },
      headers: {},
    };
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
