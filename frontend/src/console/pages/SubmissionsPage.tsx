import type { Alert, ReceivedBatch, RefusedBatch } from '@dxoc/contracts';
import { formatDateTime } from '../../lib/format';
import { useConsole, useCT } from '../context';
import { LoadState, useLoad } from '../ui';

/**
 * "Dữ liệu gửi" (issue 13 part 4): what an operator needs to fix its agent without calling the committee — the
 * batches received (points accepted and revised), the batches refused with their reasons, and the alerts about its
 * unit. The API narrows all three to an operator's own unit; staff and admin see every unit.
 */
export function SubmissionsPage() {
  const { api, lang } = useConsole();
  const t = useCT();
  const vi = lang === 'vi';
  const [batches] = useLoad((signal) => api.get<{ batches: ReceivedBatch[] }>('/api/v1/ingest-log/batches', { limit: 200 }, signal), [api]);
  const [refusals] = useLoad(
    (signal) => api.get<{ refusals: RefusedBatch[] }>('/api/v1/ingest-log/refusals', { limit: 200 }, signal),
    [api],
  );
  const [alerts] = useLoad((signal) => api.alerts({ state: 'open', limit: 200 }, signal), [api]);

  return (
    <section className="page">
      <div className="page-head">
        <h1>{t('console.nav.submissions')}</h1>
      </div>
      <h2>{vi ? 'Lô bị từ chối' : 'Refused batches'}</h2>
      <LoadState value={refusals}>
        {() => {
          const list = refusals.state === 'ready' ? refusals.data.refusals : [];
          if (list.length === 0) return <div className="empty">{t('console.none')}</div>;
          return (
            <table className="table" data-testid="refusals-table">
              <thead>
                <tr>
                  <th>{vi ? 'Lần cuối' : 'Last'}</th>
                  <th>batchId</th>
                  <th>{vi ? 'Khóa' : 'Key'}</th>
                  <th>{vi ? 'Mã lỗi' : 'Error'}</th>
                  <th>{vi ? 'Lý do' : 'Reason'}</th>
                  <th className="num">{vi ? 'Số lần' : 'Times'}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((r) => (
                  <tr key={`${r.keyId}-${r.status}-${r.error}`}>
                    <td>{formatDateTime(r.lastAt, lang)}</td>
                    <td>{r.batchId ?? '—'}</td>
                    <td>{r.keyId}</td>
                    <td>
                      {r.status} {r.error}
                    </td>
                    <td>{r.message}</td>
                    <td className="num">{r.count.toLocaleString('vi-VN')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </LoadState>
      <h2>{vi ? 'Lô đã nhận' : 'Received batches'}</h2>
      <LoadState value={batches}>
        {() => {
          const list = batches.state === 'ready' ? batches.data.batches : [];
          if (list.length === 0) return <div className="empty">{t('console.none')}</div>;
          return (
            <table className="table" data-testid="batches-table">
              <thead>
                <tr>
                  <th>{vi ? 'Thời điểm' : 'Time'}</th>
                  <th>batchId</th>
                  <th>{vi ? 'Khóa' : 'Key'}</th>
                  <th className="num">{vi ? 'Điểm nhận' : 'Accepted'}</th>
                  <th className="num">{vi ? 'Điểm sửa' : 'Revised'}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((b) => (
                  <tr key={`${b.keyId}-${b.batchId}`}>
                    <td>{formatDateTime(b.receivedAt, lang)}</td>
                    <td>{b.batchId}</td>
                    <td>{b.keyId}</td>
                    <td className="num">{b.accepted.toLocaleString('vi-VN')}</td>
                    <td className="num">{b.revised.toLocaleString('vi-VN')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </LoadState>
      <h2>{vi ? 'Cảnh báo về đơn vị' : "The unit's alerts"}</h2>
      <LoadState value={alerts}>
        {() => {
          const list: Alert[] = alerts.state === 'ready' ? alerts.data : [];
          if (list.length === 0) return <div className="empty">{t('console.none')}</div>;
          return (
            <table className="table" data-testid="unit-alerts-table">
              <tbody>
                {list.map((a) => (
                  <tr key={a.id}>
                    <td>{formatDateTime(a.firingSince ?? a.pendingSince, lang)}</td>
                    <td>{a.unit}</td>
                    <td>{a.severity}</td>
                    <td>{vi ? a.messageVi : a.messageEn}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </LoadState>
    </section>
  );
}
