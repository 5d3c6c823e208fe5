import type { Alert, Severity } from '@dxoc/contracts';

/** What a notification says: a subject and a plain-text body per language, and the JSON a webhook receives. */
export interface RenderedMessage {
  subject: { vi: string; en: string };
  text: { vi: string; en: string };
}

export type AlertNoticeKind = 'firing' | 'resolved' | 'repeat';

const SEVERITY: Record<Severity, { vi: string; en: string }> = {
  critical: { vi: 'NGHIÊM TRỌNG', en: 'CRITICAL' },
  warning: { vi: 'CẢNH BÁO', en: 'WARNING' },
  info: { vi: 'THÔNG TIN', en: 'INFO' },
};

const HEADLINE: Record<AlertNoticeKind, { vi: string; en: string }> = {
  firing: { vi: 'Cảnh báo đang kích hoạt', en: 'Alert firing' },
  repeat: { vi: 'Cảnh báo vẫn đang kích hoạt', en: 'Alert still firing' },
  resolved: { vi: 'Cảnh báo đã hết', en: 'Alert resolved' },
};

function time(iso: string | null, lang: 'vi' | 'en', timeZone: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(
    new Date(iso),
  );
}

function num(value: number | null, lang: 'vi' | 'en'): string {
  return value === null ? '—' : new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', { maximumFractionDigits: 2 }).format(value);
}

/** An alert's mail: Vietnamese first; the message is the rule's own, already rendered for the unit. */
export function renderAlert(kind: AlertNoticeKind, alert: Alert, timeZone: string): RenderedMessage {
  const sev = SEVERITY[alert.severity];
  const head = HEADLINE[kind];
  return {
    subject: {
      vi: `[dxoc] ${sev.vi} · ${head.vi}: ${alert.ruleName} — ${alert.unit}`,
      en: `[dxoc] ${sev.en} · ${head.en}: ${alert.ruleName} — ${alert.unit}`,
    },
    text: {
      vi: [
        `${head.vi} (${sev.vi.toLowerCase()})`,
        alert.messageVi,
        '',
        `Quy tắc: ${alert.ruleName}`,
        `Chỉ tiêu: ${alert.metric}`,
        `Đơn vị: ${alert.unit}`,
        `Giá trị: ${num(alert.value, 'vi')}`,
        `Kích hoạt lúc: ${time(alert.firingSince, 'vi', timeZone)}`,
        ...(kind === 'resolved' ? [`Hết lúc: ${time(alert.resolvedAt, 'vi', timeZone)}`] : []),
        `Mã cảnh báo: ${alert.id}`,
      ].join('\n'),
      en: [
        `${head.en} (${sev.en.toLowerCase()})`,
        alert.messageEn,
        '',
        `Rule: ${alert.ruleName}`,
        `Metric: ${alert.metric}`,
        `Unit: ${alert.unit}`,
        `Value: ${num(alert.value, 'en')}`,
        `Firing since: ${time(alert.firingSince, 'en', timeZone)}`,
        ...(kind === 'resolved' ? [`Resolved at: ${time(alert.resolvedAt, 'en', timeZone)}`] : []),
        `Alert id: ${alert.id}`,
      ].join('\n'),
    },
  };
}

export function renderTest(channelName: string): RenderedMessage {
  return {
    subject: { vi: `[dxoc] Thư thử kênh thông báo "${channelName}"`, en: `[dxoc] Test of notification channel "${channelName}"` },
    text: {
      vi: `Đây là thư thử do quản trị viên gửi từ dxoc. Kênh "${channelName}" hoạt động.`,
      en: `This is a test message sent by an administrator from dxoc. Channel "${channelName}" works.`,
    },
  };
}

export function renderReport(title: { vi: string; en: string }, weekStart: string): RenderedMessage {
  return {
    subject: { vi: `[dxoc] ${title.vi}`, en: `[dxoc] ${title.en}` },
    text: {
      vi: `Báo cáo tuần bắt đầu ${weekStart} được đính kèm (PDF).`,
      en: `The report of the week starting ${weekStart} is attached (PDF).`,
    },
  };
}

/** One mail in the channel's language: Vietnamese first, then English below a rule. */
export function mailText(message: RenderedMessage, language: 'vi' | 'en' | 'vi+en'): { subject: string; text: string } {
  if (language === 'vi') return { subject: message.subject.vi, text: message.text.vi };
  if (language === 'en') return { subject: message.subject.en, text: message.text.en };
  return { subject: message.subject.vi, text: `${message.text.vi}\n\n----------\n\n${message.text.en}` };
}
