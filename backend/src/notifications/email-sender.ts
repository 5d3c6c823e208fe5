import type { SendResult } from './webhook-sender';

export interface SmtpSettings {
  host: string;
  port: number;
  security: 'none' | 'starttls' | 'tls';
  username?: string;
  /** opened from the sealed secret just before sending; never logged */
  password: string | null;
  from: string;
  recipients: string[];
}

export interface MailContent {
  subject: string;
  text: string;
  attachments?: { filename: string; contentType: string; content: Buffer }[];
}

/**
 * One mail over SMTP, a new connection each time (notifications are rare; a pool would hold sockets open to the
 * mail server for nothing). 'tls' connects over TLS (465), 'starttls' requires the upgrade (587) and fails rather
 * than sending in clear, 'none' sends in clear (a relay on the local network). Certificates are verified.
 */
export async function sendEmail(settings: SmtpSettings, mail: MailContent, options: { timeoutMs?: number } = {}): Promise<SendResult> {
  const timeout = options.timeoutMs ?? 15_000;
  // loaded with the first mail, not with every `dxoc` command and server start
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    auth: settings.username ? { user: settings.username, pass: settings.password ?? '' } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  try {
    const info = await transport.sendMail({
      from: settings.from,
      to: settings.recipients,
      subject: mail.subject,
      text: mail.text,
      attachments: mail.attachments,
    });
    const rejected = (info.rejected ?? []).map(String);
    if (rejected.length > 0 && rejected.length === settings.recipients.length) {
      return { ok: false, status: null, error: `every recipient refused` };
    }
    return { ok: true, status: null, error: null };
  } catch (error) {
    // nodemailer's message names the server's answer (never the password): keep it short for the log
    const e = error as { code?: string; responseCode?: number; message?: string };
    const reason = [e.code, e.responseCode, e.message?.split('\n')[0]].filter(Boolean).join(' ');
    return { ok: false, status: e.responseCode ?? null, error: reason.slice(0, 300) || 'send failed' };
  } finally {
    transport.close();
  }
}
