/**
 * Why the database cannot take a statement now, through no fault of the statement: it cannot be reached or dropped
 * the connection ('unreachable'), it did not answer within DXOC_DB_QUERY_TIMEOUT_MS ('timeout': a network black hole,
 * a hung server), it is shutting down or starting ('restarting'), its disk is full ('disk_full'), it is out of memory
 * or connections ('out_of_resources'), it only reads ('read_only': a read-only data directory or a standby), or its
 * files cannot be read or written ('storage_error': SQLSTATE class 58, an I/O error or a file the filesystem refused).
 * Each passes once someone fixes it: callers answer 503 and ask to retry.
 */
export type UnavailableReason = 'unreachable' | 'timeout' | 'restarting' | 'disk_full' | 'out_of_resources' | 'read_only' | 'storage_error';

/** The database cannot take statements right now (see UnavailableReason): callers answer 503 and ask to retry. */
export class DatabaseUnavailableError extends Error {
  readonly reason: UnavailableReason;

  constructor(cause: unknown, reason?: UnavailableReason) {
    super(`database unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DatabaseUnavailableError';
    this.reason = reason ?? unavailableReason(cause) ?? 'unreachable';
  }
}

/** Startup cannot continue (unreachable server, missing extension): one clear line for the operator. */
export class DatabaseSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseSetupError';
  }
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENOENT',
  'EAI_AGAIN',
]);

/** True for errors that mean "no database right now" rather than "this statement is wrong". */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (CONNECTION_ERROR_CODES.has(code)) return true;
    // SQLSTATE class 08 = connection exception; 57P01-57P03 = server shutting down or starting.
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
  }
  return /Connection terminated|connection error|Client was closed|PGlite is closed|not queryable|timeout exceeded when trying to connect/i.test(
    error.message,
  );
}

/** Operating-system errors of a data directory that cannot be written (the embedded database reports them as they are). */
const DISK_FULL_ERRNOS = new Set(['ENOSPC', 'EDQUOT']);

/** Operating-system errors of a file that cannot be read or written at all (a failing disk). */
const STORAGE_ERRNOS = new Set(['EIO']);

/**
 * Why `error` means "the database cannot take statements now" (SQLSTATE classes 08 connection exception, 53
 * insufficient resources and 58 system error, 57P01-57P03 shutting down or starting, 25006 read-only transaction; the
 * same conditions as operating-system errors), or null when it is about the statement itself.
 */
export function unavailableReason(error: unknown): UnavailableReason | null {
  if (!(error instanceof Error)) return null;
  if (error instanceof DatabaseUnavailableError) return error.reason;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code === '53100' || DISK_FULL_ERRNOS.has(code)) return 'disk_full';
    if (code.startsWith('53')) return 'out_of_resources'; // 53200 out of memory, 53300 too many connections, 53400
    if (code === '25006' || code === 'EROFS') return 'read_only';
    if (code === '57P01' || code === '57P02' || code === '57P03') return 'restarting';
    // class 58, errors external to PostgreSQL (58030 I/O error, 58P01 and 58P02 a file missing or in the way). The
    // embedded database on a data dir the kernel made read-only reports EROFS once, then "could not create file:
    // File exists" (58P02) for the same file on every retry: none of it is the batch's fault.
    if (code.startsWith('58') || STORAGE_ERRNOS.has(code)) return 'storage_error';
  }
  if (isConnectionError(error)) return 'unreachable';
  // before "could not extend file": PostgreSQL reports EROFS as "could not extend file ...: Read-only file system"
  // (SQLSTATE 42501, as for any refused file access), which is no full disk
  if (/read-only file system/i.test(error.message)) return 'read_only';
  if (/No space left on device|could not extend file|disk quota exceeded/i.test(error.message)) return 'disk_full';
  // a data file the database may not open or write (EACCES, EPERM: a data dir chmod'ed or chown'ed under it)
  if (/^could not \w+ (file|directory) ".*": (Permission denied|Operation not permitted)/i.test(error.message)) return 'storage_error';
  return null;
}

export function toDatabaseError(error: unknown): unknown {
  const reason = unavailableReason(error);
  return reason && !(error instanceof DatabaseUnavailableError) ? new DatabaseUnavailableError(error, reason) : error;
}
