import { useEffect, useMemo, useRef, useState } from 'react';
import {
  DirectiveAnswerInput,
  DirectiveInput,
  DIRECTIVE_OUTCOMES,
  ASSIGNMENT_STATES,
  type Assignment,
  type DirectiveDetail,
  type DirectiveOutcome,
  type Directive,
} from '@dxoc/contracts';
import { metricName } from '../../app/catalog';
import { ApiError, type Api } from '../../lib/api';
import {
  attachmentErrorText,
  attachmentType,
  directivesQuery,
  directiveTitle,
  draftFromSearch,
  eventLabel,
  fileSize,
  historyText,
  localToday,
  NO_FILTERS,
  outcomeLabel,
  stateLabel,
  unitOptions,
  type DirectiveFilters,
} from '../../lib/directives';
import { formatDate, formatDateTime, type Lang } from '../../lib/format';
import { LiveStream } from '../../lib/live';
import { timeZone } from '../../lib/time';
import { permissions, useConsole, useCT } from '../context';
import {
  answerDirective,
  closeDirective,
  downloadAttachment,
  getDirective,
  issueDirective,
  listDirectives,
  returnDirective,
  uploadAttachment,
  withdrawDirective,
} from '../directives-api';
import { apiFieldErrors, zodFieldErrors, type FieldErrors } from '../form-errors';
import { Field, LoadState, MetricSelect, UnitSelect, useLoad } from '../ui';
import '../directives.css';

const w = (lang: Lang, vi: string, en: string) => (lang === 'vi' ? vi : en);
const dayText = (day: string | null, lang: Lang) => (day ? formatDate(`${day}T12:00:00+07:00`, lang) : '—');

/** /console/directives, /console/directives/new?…, /console/directives/<id> */
type Route = { view: 'list' } | { view: 'new' } | { view: 'detail'; id: number };
export function directivesRoute(path: string): Route {
  const rest = path.replace(/[?#].*$/, '').replace(/^\/console\/directives\/?/, '');
  if (rest === 'new') return { view: 'new' };
  if (/^\d{1,15}$/.test(rest)) return { view: 'detail', id: Number(rest) };
  return { view: 'list' };
}

/**
 * A counter that moves on every directive event of the live stream (issued, answered, closed… by anyone, on any
 * instance): the list and the detail reload on it. An operator's socket gets its unit's events only.
 */
function useDirectiveEvents(api: Api): number {
  const [bump, setBump] = useState(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    const live = new LiveStream({ token: () => api.token() });
    // events arrive in bursts (an answer and its file): reload at most every 300 ms
    const stop = live.onDirective(() => {
      if (pending.current) return;
      pending.current = setTimeout(() => {
        pending.current = null;
        setBump((n) => n + 1);
      }, 300);
    });
    live.start();
    return () => {
      stop();
      live.stop();
      if (pending.current) clearTimeout(pending.current);
      pending.current = null;
    };
  }, [api]);
  return bump;
}

/** Directives (chỉ đạo): the list, one directive with its units and history, and the issue form. */
export function DirectivesPage({ path }: { path: string }) {
  const { api } = useConsole();
  const bump = useDirectiveEvents(api);
  const route = directivesRoute(path);
  if (route.view === 'new') return <IssueForm key={path} />;
  if (route.view === 'detail') return <DirectiveView key={route.id} id={route.id} bump={bump} />;
  return <DirectiveList bump={bump} />;
}

function DirectiveList({ bump }: { bump: number }) {
  const { api, lang, principal, navigate } = useConsole();
  const t = useCT();
  const perms = permissions(principal);
  const canIssue = principal.role === 'staff' || principal.role === 'admin';
  const [filters, setFilters] = useState<DirectiveFilters>(() => ({ ...NO_FILTERS, unit: perms.onlyUnit ?? '' }));
  // the `before` of each page shown so far: back pops one
  const [pages, setPages] = useState<Array<number | null>>([null]);
  const before = pages[pages.length - 1] ?? null;
  const [list, reloadList] = useLoad((signal) => listDirectives(api, directivesQuery(filters, before), signal), [api, filters, before]);
  // another console's or instance's step: show it
  useEffect(() => {
    if (bump) reloadList();
  }, [bump, reloadList]);
  const set = <K extends keyof DirectiveFilters>(key: K, value: DirectiveFilters[K]) => {
    setFilters((f) => ({ ...f, [key]: value }));
    setPages([null]);
  };
  const open = (id: number) => navigate(`/console/directives/${id}`);
  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('console.nav.directives')}</h1>
        {canIssue ? (
          <button type="button" className="button primary" data-testid="directive-new" onClick={() => navigate('/console/directives/new')}>
            {w(lang, 'Ban hành chỉ đạo', 'Issue a directive')}
          </button>
        ) : null}
      </div>
      <div className="filters">
        <Field label={t('console.filter.unit')}>
          <UnitSelect value={filters.unit} onChange={(v) => set('unit', v)} allowAll name="filterUnit" />
        </Field>
        <Field label={t('console.status')}>
          <select name="filterState" value={filters.state} onChange={(e) => set('state', e.target.value)}>
            <option value="">{t('console.filter.all')}</option>
            {ASSIGNMENT_STATES.map((s) => (
              <option key={s} value={s}>
                {stateLabel(s, lang)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={w(lang, 'Hạn từ ngày', 'Due from')}>
          <input type="date" name="dueAfter" value={filters.dueAfter} onChange={(e) => set('dueAfter', e.target.value)} />
        </Field>
        <Field label={w(lang, 'Hạn đến ngày', 'Due until')}>
          <input type="date" name="dueBefore" value={filters.dueBefore} onChange={(e) => set('dueBefore', e.target.value)} />
        </Field>
        <label className="check">
          <input type="checkbox" name="overdue" checked={filters.overdue} onChange={(e) => set('overdue', e.target.checked)} />{' '}
          {w(lang, 'Chỉ quá hạn', 'Overdue only')}
        </label>
      </div>
      <LoadState value={list}>
        {() => {
          if (list.state !== 'ready') return null;
          const { items, nextBefore } = list.data;
          return (
            <>
              {items.length === 0 ? (
                <div className="empty">{t('console.none')}</div>
              ) : (
                <table className="table" data-testid="directives-table">
                  <thead>
                    <tr>
                      <th>#</th>
                      <th>{w(lang, 'Chỉ đạo', 'Directive')}</th>
                      <th>{w(lang, 'Đơn vị và trạng thái', 'Units and state')}</th>
                      <th>{w(lang, 'Hạn', 'Due')}</th>
                      <th>{w(lang, 'Ban hành', 'Issued')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((d) => (
                      <tr
                        key={d.id}
                        data-directive-id={d.id}
                        data-overdue={d.assignments.some((a) => a.overdue)}
                        className="clickable"
                        onClick={() => open(d.id)}
                      >
                        <td className="muted">{d.id}</td>
                        <td>
                          <a
                            className="strong"
                            href={`/console/directives/${d.id}`}
                            onClick={(e) => {
                              e.preventDefault();
                              e.stopPropagation();
                              open(d.id);
                            }}
                          >
                            {directiveTitle(d, lang)}
                          </a>
                          {d.withdrawnAt ? <div className="muted small">{stateLabel('withdrawn', lang)}</div> : null}
                        </td>
                        <td>
                          <AssignmentPills directive={d} />
                        </td>
                        <td>{dayText(d.dueDate, lang)}</td>
                        <td className="small">
                          {d.issuedBy}
                          <div className="muted">{formatDateTime(d.issuedAt, lang)}</div>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              <div className="form-actions pager">
                {pages.length > 1 ? (
                  <button type="button" className="button small ghost" onClick={() => setPages((p) => p.slice(0, -1))}>
                    ← {w(lang, 'Trang trước', 'Previous')}
                  </button>
                ) : null}
                {nextBefore ? (
                  <button
                    type="button"
                    className="button small ghost"
                    data-testid="directives-next"
                    onClick={() => setPages((p) => [...p, nextBefore])}
                  >
                    {w(lang, 'Trang sau', 'Next')} →
                  </button>
                ) : null}
                <span className="muted small">{w(lang, 'Tự cập nhật khi có thay đổi', 'Updates itself on every change')}</span>
              </div>
            </>
          );
        }}
      </LoadState>
    </section>
  );
}

function AssignmentPills({ directive }: { directive: Directive }) {
  const { lang } = useConsole();
  return (
    <div className="pills">
      {directive.assignments.map((a) => (
        <span
          key={a.unit}
          className={`pill directive-state ${a.state}${a.overdue ? ' overdue' : ''}`}
          data-unit={a.unit}
          data-state={a.state}
          title={a.overdue ? w(lang, 'Quá hạn', 'Overdue') : undefined}
        >
          {a.unit} · {stateLabel(a.state, lang)}
          {a.overdue ? ` · ${w(lang, 'quá hạn', 'overdue')}` : ''}
        </span>
      ))}
    </div>
  );
}

function SourceText({ source }: { source: Directive['source'] }) {
  const { catalog, lang } = useConsole();
  if (source.kind === 'none') return <>{w(lang, 'Không gắn với cảnh báo hay mục tiêu', 'Not linked to an alert or target')}</>;
  if (source.kind === 'alert') return <>{w(lang, `Cảnh báo #${source.alertId}`, `Alert #${source.alertId}`)}</>;
  const metric = metricName(catalog.metric(source.metric), lang);
  if (source.kind === 'target') return <>{w(lang, `Mục tiêu #${source.targetId} — ${metric}`, `Target #${source.targetId} — ${metric}`)}</>;
  return <>{w(lang, `Chậm báo cáo — ${metric}`, `Late report — ${metric}`)}</>;
}

function DirectiveView({ id, bump }: { id: number; bump: number }) {
  const { api, catalog, lang, principal, navigate } = useConsole();
  const t = useCT();
  const [local, setLocal] = useState<DirectiveDetail | null>(null);
  // 404: no such directive, or (for an operator) not addressed to its unit; said as such, not as a missing endpoint
  const [loaded, reloadOne] = useLoad(
    (signal) =>
      getDirective(api, id, signal).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }),
    [api, id],
  );
  useEffect(() => {
    if (bump) reloadOne();
  }, [bump, reloadOne]);
  // an answer from our own step shows at once; the live event's reload replaces it
  useEffect(() => setLocal(null), [loaded]);
  const isStaff = principal.role === 'staff' || principal.role === 'admin';
  const [withdrawing, setWithdrawing] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const withdraw = async () => {
    setError(null);
    try {
      setLocal(await withdrawDirective(api, id, reason.trim() || undefined));
      setWithdrawing(false);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <section className="page" data-testid="directive-detail" data-directive-id={id}>
      <div className="page-head">
        <h1>
          <a
            href="/console/directives"
            onClick={(e) => {
              e.preventDefault();
              navigate('/console/directives');
            }}
          >
            {t('console.nav.directives')}
          </a>{' '}
          › #{id}
        </h1>
      </div>
      <LoadState value={loaded}>
        {() => {
          const d = local ?? (loaded.state === 'ready' ? loaded.data : null);
          if (!d)
            return (
              <div className="empty warn" data-testid="directive-not-found">
                {w(
                  lang,
                  `Không có chỉ đạo #${id} (hoặc chỉ đạo không gửi đơn vị của bạn)`,
                  `No directive #${id} (or it is not addressed to your unit)`,
                )}
              </div>
            );
          const pending = !d.withdrawnAt && d.assignments.some((a) => a.state !== 'closed' && a.state !== 'withdrawn');
          return (
            <>
              <div className="directive-summary">
                <h2 data-testid="directive-title">{directiveTitle(d, lang)}</h2>
                <p className="directive-text">{lang === 'en' && d.textEn ? d.textEn : d.textVi}</p>
                <dl className="facts">
                  <dt>{w(lang, 'Hạn giải trình', 'Due')}</dt>
                  <dd data-testid="directive-due">{dayText(d.dueDate, lang)}</dd>
                  <dt>{w(lang, 'Nguồn', 'Prompted by')}</dt>
                  <dd>
                    <SourceText source={d.source} />
                  </dd>
                  <dt>{w(lang, 'Người ban hành', 'Issued by')}</dt>
                  <dd>
                    {d.issuedBy} · {formatDateTime(d.issuedAt, lang)}
                  </dd>
                  {d.withdrawnAt ? (
                    <>
                      <dt>{stateLabel('withdrawn', lang)}</dt>
                      <dd>{formatDateTime(d.withdrawnAt, lang)}</dd>
                    </>
                  ) : null}
                </dl>
                {isStaff && pending ? (
                  withdrawing ? (
                    <div className="ack-form">
                      <Field label={w(lang, 'Lý do thu hồi (không bắt buộc)', 'Reason (optional)')} error={error ?? undefined}>
                        <input name="withdrawReason" value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
                      </Field>
                      <button type="button" className="button danger" data-testid="directive-withdraw-confirm" onClick={withdraw}>
                        {w(lang, 'Thu hồi', 'Withdraw')}
                      </button>
                      <button type="button" className="button ghost" onClick={() => setWithdrawing(false)}>
                        {t('console.cancel')}
                      </button>
                    </div>
                  ) : (
                    <button
                      type="button"
                      className="button small danger"
                      data-testid="directive-withdraw"
                      onClick={() => setWithdrawing(true)}
                    >
                      {w(lang, 'Thu hồi chỉ đạo', 'Withdraw the directive')}
                    </button>
                  )
                ) : null}
              </div>
              <h2>{w(lang, 'Đơn vị được yêu cầu', 'Units asked')}</h2>
              <div className="assignments">
                {d.assignments.map((a) => (
                  <AssignmentCard key={a.unit} directive={d} assignment={a} onChanged={setLocal} />
                ))}
              </div>
              <h2>{w(lang, 'Lịch sử xử lý', 'History')}</h2>
              <table className="table" data-testid="directive-history">
                <thead>
                  <tr>
                    <th>{w(lang, 'Thời điểm', 'When')}</th>
                    <th>{t('wall.unit')}</th>
                    <th>{w(lang, 'Bước', 'Step')}</th>
                    <th>{w(lang, 'Người thực hiện', 'By')}</th>
                    <th>{w(lang, 'Nội dung', 'Text')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.history.map((e) => (
                    <tr key={e.seq} data-kind={e.kind}>
                      <td className="small">{formatDateTime(e.at, lang)}</td>
                      <td>{e.unit ? catalog.unitName(e.unit, lang) : '—'}</td>
                      <td>{eventLabel(e.kind, lang)}</td>
                      <td>{e.actor}</td>
                      <td className="small">{historyText(e.kind, e.text, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          );
        }}
      </LoadState>
    </section>
  );
}

/** One unit's part: its state, its answer and file, and the steps the principal may take on it. */
function AssignmentCard({
  directive,
  assignment: a,
  onChanged,
}: {
  directive: DirectiveDetail;
  assignment: Assignment;
  onChanged: (d: DirectiveDetail) => void;
}) {
  const { api, catalog, lang, principal } = useConsole();
  const isStaff = principal.role === 'staff' || principal.role === 'admin';
  const ownUnit = principal.role === 'operator' && principal.unitCode === a.unit;
  const canAnswer = ownUnit && (a.state === 'open' || a.state === 'returned');
  const canAttach = ownUnit && (a.state === 'open' || a.state === 'returned' || a.state === 'answered');
  const [downloadError, setDownloadError] = useState<string | null>(null);
  return (
    <div
      className={`assignment state-${a.state}`}
      data-testid="assignment"
      data-unit={a.unit}
      data-state={a.state}
      data-overdue={a.overdue}
    >
      <div className="assignment-head">
        <span className="strong">{catalog.unitName(a.unit, lang)}</span> <span className="muted">{a.unit}</span>{' '}
        <span className={`pill directive-state ${a.state}${a.overdue ? ' overdue' : ''}`}>{stateLabel(a.state, lang)}</span>
        {a.overdue ? <span className="pill never">{w(lang, 'Quá hạn', 'Overdue')}</span> : null}
      </div>
      {a.returnReason && a.state === 'returned' ? (
        <p className="small">
          <span className="strong">{w(lang, 'Yêu cầu bổ sung', 'Sent back')}:</span> {a.returnReason}
        </p>
      ) : null}
      {a.explanation ? (
        <dl className="facts" data-testid="answer">
          <dt>{w(lang, 'Giải trình', 'Explanation')}</dt>
          <dd>{a.explanation}</dd>
          <dt>{w(lang, 'Nguyên nhân', 'Cause')}</dt>
          <dd>{a.cause}</dd>
          <dt>{w(lang, 'Ngày dự kiến khắc phục', 'Planned fix date')}</dt>
          <dd>{dayText(a.fixDate, lang)}</dd>
          <dt>{w(lang, 'Người giải trình', 'Answered by')}</dt>
          <dd>
            {a.answeredBy} · {formatDateTime(a.answeredAt, lang)}
          </dd>
        </dl>
      ) : null}
      {a.attachment ? (
        <p className="small">
          <span className="strong">{w(lang, 'Tệp đính kèm', 'Attachment')}:</span>{' '}
          <button
            type="button"
            className="link"
            data-testid="attachment-download"
            onClick={() => {
              setDownloadError(null);
              downloadAttachment(api, directive.id, a.unit, a.attachment!.fileName).catch((err: unknown) =>
                setDownloadError(err instanceof Error ? err.message : String(err)),
              );
            }}
          >
            {a.attachment.fileName}
          </button>{' '}
          <span className="muted">({fileSize(a.attachment.size, lang)})</span>
          {downloadError ? <span className="field-error"> {downloadError}</span> : null}
        </p>
      ) : null}
      {a.outcome ? (
        <p className="small" data-testid="outcome" data-outcome={a.outcome}>
          <span className="strong">{w(lang, 'Kết quả', 'Outcome')}:</span> {outcomeLabel(a.outcome, lang)} · {a.closedBy} ·{' '}
          {formatDateTime(a.closedAt, lang)}
        </p>
      ) : null}
      {canAnswer ? <AnswerForm directive={directive} assignment={a} onChanged={onChanged} /> : null}
      {canAttach ? <AttachmentForm directive={directive} assignment={a} onChanged={onChanged} /> : null}
      {isStaff && !directive.withdrawnAt && a.state !== 'closed' && a.state !== 'withdrawn' ? (
        <StaffSteps directive={directive} assignment={a} onChanged={onChanged} />
      ) : null}
    </div>
  );
}

function AnswerForm({
  directive,
  assignment: a,
  onChanged,
}: {
  directive: DirectiveDetail;
  assignment: Assignment;
  onChanged: (d: DirectiveDetail) => void;
}) {
  const { api, lang } = useConsole();
  const [explanation, setExplanation] = useState(a.explanation ?? '');
  const [cause, setCause] = useState(a.cause ?? '');
  const [fixDate, setFixDate] = useState(a.fixDate ?? '');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async () => {
    const parsed = DirectiveAnswerInput.safeParse({ explanation, cause, fixDate });
    setFormError(null);
    if (!parsed.success) {
      setErrors(zodFieldErrors(parsed.error, lang));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      onChanged(await answerDirective(api, directive.id, a.unit, parsed.data));
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) {
        const fromServer = apiFieldErrors(err.details, lang);
        setErrors(fromServer);
        if (Object.keys(fromServer).length === 0) setFormError(err.message);
      } else setFormError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="form-grid"
      data-testid="answer-form"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <h3 className="wide">{w(lang, 'Giải trình của đơn vị', "The unit's explanation")}</h3>
      <Field label={w(lang, 'Nội dung giải trình', 'Explanation')} error={errors.explanation} wide>
        <textarea name="explanation" rows={4} maxLength={10_000} value={explanation} onChange={(e) => setExplanation(e.target.value)} />
      </Field>
      <Field label={w(lang, 'Nguyên nhân', 'Cause')} error={errors.cause}>
        <input name="cause" maxLength={2000} value={cause} onChange={(e) => setCause(e.target.value)} />
      </Field>
      <Field label={w(lang, 'Ngày dự kiến khắc phục', 'Planned fix date')} error={errors.fixDate}>
        <input type="date" name="fixDate" value={fixDate} onChange={(e) => setFixDate(e.target.value)} />
      </Field>
      {formError ? (
        <div className="form-error wide" role="alert">
          {formError}
        </div>
      ) : null}
      <div className="wide">
        <button type="submit" className="button primary" disabled={busy} data-testid="answer-send">
          {w(lang, 'Gửi giải trình', 'Send the explanation')}
        </button>
      </div>
    </form>
  );
}

function AttachmentForm({
  directive,
  assignment: a,
  onChanged,
}: {
  directive: DirectiveDetail;
  assignment: Assignment;
  onChanged: (d: DirectiveDetail) => void;
}) {
  const { api, lang } = useConsole();
  const [file, setFile] = useState<File | null>(null);
  // a new key empties the file input once its file is stored
  const [inputKey, setInputKey] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const upload = async () => {
    if (!file) return;
    const type = attachmentType(file.name, file.type);
    setError(null);
    if (!type) {
      setError(attachmentErrorText(415, '', lang));
      return;
    }
    setBusy(true);
    try {
      onChanged(await uploadAttachment(api, directive.id, a.unit, file, type));
      setFile(null);
      setInputKey((k) => k + 1);
    } catch (err) {
      setError(err instanceof ApiError ? attachmentErrorText(err.status, err.message, lang) : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="ack-form attachment-form">
      <Field
        label={`${a.attachment ? w(lang, 'Thay tệp đính kèm', 'Replace the attachment') : w(lang, 'Tệp đính kèm', 'Attachment')} (PDF, PNG, JPEG)`}
        error={error ?? undefined}
      >
        <input
          key={inputKey}
          type="file"
          name="attachment"
          accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </Field>
      <button type="button" className="button" disabled={!file || busy} data-testid="attachment-upload" onClick={upload}>
        {w(lang, 'Tải lên', 'Upload')}
      </button>
    </div>
  );
}

/** Staff: close with an outcome (from any pending state), or send an answer back with a reason. */
function StaffSteps({
  directive,
  assignment: a,
  onChanged,
}: {
  directive: DirectiveDetail;
  assignment: Assignment;
  onChanged: (d: DirectiveDetail) => void;
}) {
  const { api, lang } = useConsole();
  const [outcome, setOutcome] = useState<DirectiveOutcome>('resolved');
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const run = async (step: () => Promise<DirectiveDetail>, field: string) => {
    setErrors({});
    setBusy(true);
    try {
      onChanged(await step());
    } catch (err) {
      setErrors({ [field]: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="staff-steps">
      <div className="ack-form" data-testid="close-form">
        <Field label={w(lang, 'Kết quả', 'Outcome')}>
          <select name="outcome" value={outcome} onChange={(e) => setOutcome(e.target.value as DirectiveOutcome)}>
            {DIRECTIVE_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {outcomeLabel(o, lang)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={w(lang, 'Ghi chú (không bắt buộc)', 'Comment (optional)')} error={errors.close}>
          <input name="closeComment" maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
        </Field>
        <button
          type="button"
          className="button primary"
          disabled={busy}
          data-testid="directive-close"
          onClick={() =>
            void run(
              () => closeDirective(api, directive.id, a.unit, { outcome, ...(comment.trim() ? { comment: comment.trim() } : {}) }),
              'close',
            )
          }
        >
          {w(lang, 'Kết thúc', 'Close')}
        </button>
      </div>
      {a.state === 'answered' ? (
        <div className="ack-form" data-testid="return-form">
          <Field label={w(lang, 'Lý do yêu cầu bổ sung', 'Why it is sent back')} error={errors.return}>
            <input name="returnReason" maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          <button
            type="button"
            className="button"
            disabled={busy}
            data-testid="directive-return"
            onClick={() => {
              if (!reason.trim()) setErrors({ return: w(lang, 'Bắt buộc nhập lý do', 'A reason is required') });
              else void run(() => returnDirective(api, directive.id, a.unit, reason.trim()), 'return');
            }}
          >
            {w(lang, 'Yêu cầu bổ sung', 'Send back')}
          </button>
        </div>
      ) : null}
    </div>
  );
}

type SourceKind = 'none' | 'alert' | 'target' | 'late_report';

/** Staff and admins: title and text (vi, optional en), units, due date and what prompted it; prefilled from ?… */
function IssueForm() {
  const { api, catalog, lang, principal, navigate } = useConsole();
  const t = useCT();
  const canIssue = principal.role === 'staff' || principal.role === 'admin';
  const [draft, setDraft] = useState(() => draftFromSearch(window.location.search, localToday(Date.now(), timeZone())));
  const [sourceKind, setSourceKind] = useState<SourceKind>(draft.source.kind);
  const [alertId, setAlertId] = useState(draft.source.kind === 'alert' ? String(draft.source.alertId) : '');
  const [targetId, setTargetId] = useState(draft.source.kind === 'target' ? String(draft.source.targetId) : '');
  const [metric, setMetric] = useState(
    draft.source.kind === 'target' || draft.source.kind === 'late_report'
      ? draft.source.metric
      : draft.source.kind === 'alert'
        ? (draft.source.metric ?? '')
        : (catalog.metrics[0]?.code ?? ''),
  );
  const [unitQuery, setUnitQuery] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof typeof draft>(key: K, value: (typeof draft)[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const options = useMemo(
    () => unitOptions(catalog.units, unitQuery, lang, { exclude: draft.units }).slice(0, 8),
    [catalog, unitQuery, lang, draft.units],
  );

  if (!canIssue)
    return <div className="empty warn">{w(lang, 'Chỉ cán bộ Ủy ban ban hành chỉ đạo', 'Only committee staff issue directives')}</div>;

  const source = (): unknown => {
    const id = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : text.trim() === '' ? undefined : NaN);
    if (sourceKind === 'alert') return { kind: 'alert', alertId: id(alertId) };
    if (sourceKind === 'target') return { kind: 'target', targetId: id(targetId), metric };
    if (sourceKind === 'late_report') return { kind: 'late_report', metric };
    return { kind: 'none' };
  };
  const submit = async () => {
    const body = {
      titleVi: draft.titleVi.trim(),
      ...(draft.titleEn.trim() ? { titleEn: draft.titleEn.trim() } : {}),
      textVi: draft.textVi.trim(),
      ...(draft.textEn.trim() ? { textEn: draft.textEn.trim() } : {}),
      units: draft.units,
      dueDate: draft.dueDate,
      source: source(),
    };
    // source.alertId → alertId: the fields of the link have their own messages
    const fieldOf = (p: string) => (p.startsWith('source.') ? p.slice(7) : p.split('.')[0] || 'form');
    const parsed = DirectiveInput.safeParse(body);
    setFormError(null);
    if (!parsed.success) {
      setErrors(zodFieldErrors(parsed.error, lang, fieldOf));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const created = await issueDirective(api, parsed.data);
      navigate(`/console/directives/${created.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) {
        const fromServer = apiFieldErrors(err.details, lang, fieldOf);
        setErrors(fromServer);
        if (Object.keys(fromServer).length === 0) setFormError(err.message);
      } else setFormError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const past = draft.dueDate !== '' && draft.dueDate < localToday(Date.now(), timeZone());

  return (
    <section className="page">
      <div className="page-head">
        <h1>{w(lang, 'Ban hành chỉ đạo — yêu cầu giải trình', 'Issue a directive — ask to explain')}</h1>
      </div>
      <form
        className="form-grid"
        data-testid="directive-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field label={w(lang, 'Tiêu đề (tiếng Việt)', 'Title (Vietnamese)')} error={errors.titleVi}>
          <input name="titleVi" maxLength={300} value={draft.titleVi} onChange={(e) => set('titleVi', e.target.value)} />
        </Field>
        <Field label={w(lang, 'Tiêu đề (tiếng Anh, không bắt buộc)', 'Title (English, optional)')} error={errors.titleEn}>
          <input name="titleEn" maxLength={300} value={draft.titleEn} onChange={(e) => set('titleEn', e.target.value)} />
        </Field>
        <Field label={w(lang, 'Nội dung (tiếng Việt)', 'Text (Vietnamese)')} error={errors.textVi}>
          <textarea name="textVi" rows={4} maxLength={10_000} value={draft.textVi} onChange={(e) => set('textVi', e.target.value)} />
        </Field>
        <Field label={w(lang, 'Nội dung (tiếng Anh, không bắt buộc)', 'Text (English, optional)')} error={errors.textEn}>
          <textarea name="textEn" rows={4} maxLength={10_000} value={draft.textEn} onChange={(e) => set('textEn', e.target.value)} />
        </Field>
        <div className={`field wide${errors.units ? ' has-error' : ''}`}>
          <span className="field-label">{w(lang, 'Đơn vị được yêu cầu', 'Units asked')}</span>
          <div className="pills" data-testid="chosen-units">
            {draft.units.map((code) => (
              <span key={code} className="pill chosen" data-unit={code}>
                {catalog.unitName(code, lang)} ({code}){' '}
                <button
                  type="button"
                  className="link"
                  aria-label={w(lang, 'Bỏ', 'Remove')}
                  onClick={() =>
                    set(
                      'units',
                      draft.units.filter((u) => u !== code),
                    )
                  }
                >
                  ×
                </button>
              </span>
            ))}
          </div>
          <input
            name="unitSearch"
            placeholder={w(lang, 'Tìm đơn vị: hà nội, 79, bộ xây dựng…', 'Find a unit: ha noi, 79, construction…')}
            value={unitQuery}
            onChange={(e) => setUnitQuery(e.target.value)}
          />
          {unitQuery.trim() ? (
            <div className="unit-options" data-testid="unit-options">
              {options.map((o) => (
                <button
                  key={o.code}
                  type="button"
                  className="button small ghost"
                  data-unit={o.code}
                  onClick={() => {
                    set('units', [...draft.units, o.code]);
                    setUnitQuery('');
                  }}
                >
                  + {o.label}
                </button>
              ))}
            </div>
          ) : null}
          {errors.units ? <span className="field-error">{errors.units}</span> : null}
        </div>
        <Field label={w(lang, 'Hạn giải trình', 'Due date')} error={errors.dueDate}>
          <input type="date" name="dueDate" value={draft.dueDate} onChange={(e) => set('dueDate', e.target.value)} />
          {past ? (
            <span className="muted small">{w(lang, 'Hạn đã qua: chỉ đạo quá hạn ngay', 'The date has passed: overdue at once')}</span>
          ) : null}
        </Field>
        <Field label={w(lang, 'Căn cứ', 'Prompted by')} error={errors.source ?? errors.kind}>
          <select name="sourceKind" value={sourceKind} onChange={(e) => setSourceKind(e.target.value as SourceKind)}>
            <option value="none">{w(lang, 'Không gắn', 'Nothing')}</option>
            <option value="alert">{w(lang, 'Cảnh báo', 'An alert')}</option>
            <option value="target">{w(lang, 'Mục tiêu có nguy cơ', 'A target at risk')}</option>
            <option value="late_report">{w(lang, 'Chậm báo cáo', 'A late report')}</option>
          </select>
        </Field>
        {sourceKind === 'alert' ? (
          <Field label={w(lang, 'Mã cảnh báo', 'Alert id')} error={errors.alertId}>
            <input name="alertId" inputMode="numeric" value={alertId} onChange={(e) => setAlertId(e.target.value)} />
          </Field>
        ) : null}
        {sourceKind === 'target' ? (
          <Field label={w(lang, 'Mã mục tiêu', 'Target id')} error={errors.targetId}>
            <input name="targetId" inputMode="numeric" value={targetId} onChange={(e) => setTargetId(e.target.value)} />
          </Field>
        ) : null}
        {sourceKind === 'target' || sourceKind === 'late_report' ? (
          <Field label={t('console.filter.metric')} error={errors.metric}>
            <MetricSelect value={metric} onChange={setMetric} name="sourceMetric" />
          </Field>
        ) : null}
        {sourceKind === 'alert' && metric ? (
          <p className="muted small">
            {t('console.filter.metric')}: {metricName(catalog.metric(metric), lang)}
          </p>
        ) : null}
        {formError ? (
          <div className="form-error wide" role="alert">
            {formError}
          </div>
        ) : null}
        <div className="wide form-actions">
          <button type="submit" className="button primary" disabled={busy} data-testid="directive-issue">
            {w(lang, 'Ban hành', 'Issue')}
          </button>
          <button type="button" className="button small ghost" onClick={() => navigate('/console/directives')}>
            {t('console.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
