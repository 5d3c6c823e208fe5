import type { ReportLang, WeeklyReportList, WeeklyReportSummary } from '@dxoc/contracts';
import { useState } from 'react';
import { ApiError } from '../../lib/api';
import { formatDateTime, type Lang } from '../../lib/format';
import { useConsole, useCT } from '../context';
import { LoadState, useLoad } from '../ui';

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The page's own words (the section's label is console.nav.reports in i18n.ts). */
const TEXT = {
  vi: {
    intro:
      'Báo cáo tuần cho Ủy ban: tuần từ thứ Hai đến Chủ nhật (giờ Việt Nam). Báo cáo tuần vừa qua được lập tự động lúc 07:00 thứ Hai; tuần cũ hơn được lập khi tải lần đầu.',
    week: 'Tuần',
    stored: 'Đã lưu',
    notStored: 'Chưa lập — lập khi tải',
    download: 'Tải PDF',
    regenerate: 'Lập lại',
    regenerating: 'Đang lập lại…',
    by: 'bởi',
    schedule: 'lịch tự động',
    latest: 'tuần vừa qua',
    none: 'Chưa có tuần nào có số liệu.',
    failed: 'Không tải được báo cáo',
  },
  en: {
    intro:
      "Weekly reports for the committee: weeks run Monday to Sunday (Viet Nam time). Last week's report is made automatically on Monday at 07:00; older weeks are drawn on first download.",
    week: 'Week',
    stored: 'Stored',
    notStored: 'Not made yet — drawn on download',
    download: 'PDF',
    regenerate: 'Regenerate',
    regenerating: 'Regenerating…',
    by: 'by',
    schedule: 'schedule',
    latest: 'last week',
    none: 'No week has figures yet.',
    failed: 'Could not download the report',
  },
} as const;

/** "23/11/2026 – 29/11/2026" (vi) or "23 Nov 2026 – 29 Nov 2026" (en) from the week's Monday. */
export function weekLabel(weekStart: string, lang: Lang): string {
  const day = (iso: string) => {
    const [y, m, d] = iso.split('-');
    return lang === 'vi' ? `${d}/${m}/${y}` : `${Number(d)} ${EN_MONTHS[Number(m) - 1]} ${y}`;
  };
  const sunday = new Date(Date.parse(`${weekStart}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
  return `${day(weekStart)} – ${day(sunday)}`;
}

/**
 * Weekly reports (GET /api/v1/reports): every past complete week newest first, the stored PDFs (when, by whom),
 * a download per language (vi first) and, for staff and admins, "regenerate" (draws both languages again from
 * today's data; audited).
 */
export function ReportsPage() {
  const { api, lang, principal } = useConsole();
  const t = useCT();
  const text = TEXT[lang];
  const canRegenerate = principal.role === 'staff' || principal.role === 'admin';
  const [list, reload] = useLoad((signal) => api.reports(signal), [api]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const download = async (weekStart: string, reportLang: ReportLang) => {
    setError(null);
    setBusy(`${weekStart}-${reportLang}`);
    try {
      const blob = await api.reportPdf(weekStart, reportLang);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `bao-cao-tuan-${weekStart}-${reportLang}.pdf`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      reload();
    } catch (err) {
      setError(`${text.failed}: ${err instanceof ApiError ? err.message : String(err)}`);
    } finally {
      setBusy(null);
    }
  };
  const regenerate = async (weekStart: string) => {
    setError(null);
    setBusy(`${weekStart}-regenerate`);
    try {
      await api.regenerateReport(weekStart);
      reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('console.nav.reports')}</h1>
      </div>
      <p className="muted">{text.intro}</p>
      {error ? (
        <div className="banner error" role="alert" data-testid="reports-error">
          {error}
        </div>
      ) : null}
      <LoadState value={list}>
        {() => {
          const data = (list.state === 'ready' ? list.data : { reports: [], weeks: [], lastCompleteWeek: '' }) as WeeklyReportList;
          if (data.weeks.length === 0) return <div className="empty">{text.none}</div>;
          const stored = new Map<string, WeeklyReportSummary>();
          for (const r of data.reports) stored.set(`${r.weekStart}-${r.lang}`, r);
          return (
            <table className="table" data-testid="reports-table">
              <thead>
                <tr>
                  <th>{text.week}</th>
                  <th>{text.stored}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {data.weeks.map((week) => {
                  const vi = stored.get(`${week}-vi`);
                  return (
                    <tr key={week} data-testid="report-row" data-week={week}>
                      <td>
                        {weekLabel(week, lang)}
                        {week === data.lastCompleteWeek ? <span className="muted"> ({text.latest})</span> : null}
                      </td>
                      <td>
                        {vi ? (
                          `${formatDateTime(vi.generatedAt, lang)} ${text.by} ${vi.generatedBy === 'schedule' ? text.schedule : vi.generatedBy}`
                        ) : (
                          <span className="muted">{text.notStored}</span>
                        )}
                      </td>
                      <td className="actions">
                        {(['vi', 'en'] as const).map((l) => (
                          <button
                            key={l}
                            className="button"
                            data-testid={`report-download-${l}`}
                            disabled={busy !== null}
                            onClick={() => void download(week, l)}
                          >
                            {text.download} {l.toUpperCase()}
                          </button>
                        ))}
                        {/* last week's report is stored and mailed by the Monday 07:00 run: not regenerated before it */}
                        {canRegenerate && (vi || week !== data.lastCompleteWeek) ? (
                          <button
                            className="button ghost"
                            data-testid="report-regenerate"
                            disabled={busy !== null}
                            onClick={() => void regenerate(week)}
                          >
                            {busy === `${week}-regenerate` ? text.regenerating : text.regenerate}
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          );
        }}
      </LoadState>
    </section>
  );
}
