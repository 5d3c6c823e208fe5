import { useState, type FormEvent } from 'react';
import { TOTP_ERRORS, TOTP_ROLES, type TotpEnrolment } from '@dxoc/contracts';
import { ApiError } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useConsole, useCT } from '../context';
import { Field, LoadState, useLoad } from '../ui';

/**
 * One's own second factor (TOTP): enrol (the secret and its otpauth:// address are shown this once, then a code
 * from the app switches it on) and switch it off with a code or the password. No QR image: the product runs
 * air-gapped and the app takes the address or the typed secret.
 */
export function SecurityPage() {
  const { api, principal, lang } = useConsole();
  const t = useCT();
  const [status, reload] = useLoad((signal) => api.totpStatus(signal), [api]);
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mayEnrol = (TOTP_ROLES as readonly string[]).includes(principal.role);

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      setCode('');
      setPassword('');
      reload();
    } catch (err) {
      if (err instanceof ApiError && err.code === TOTP_ERRORS.invalid) setError(t('console.totpInvalid'));
      else if (err instanceof ApiError && err.code === 'wrong_password') setError(t('security.wrongPassword'));
      else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const enrol = () => run(async () => setEnrolment(await api.totpEnrol()));
  const confirm = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await api.totpConfirm(code);
      setEnrolment(null);
    });
  };
  const disable = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await api.totpDisable(code.trim() ? { code } : { password });
      setEnrolment(null);
    });
  };

  return (
    <section className="page" data-testid="security-page">
      <div className="page-head">
        <h1>{t('security.totp')}</h1>
      </div>
      <LoadState value={status}>
        {() => {
          if (status.state !== 'ready') return null;
          const { enabled, pending, enabledAt } = status.data;
          return (
            <div className="security">
              <p data-testid="totp-state" data-enabled={enabled} data-pending={pending}>
                {enabled && enabledAt
                  ? `${t('security.on')} ${formatDateTime(enabledAt, lang)}`
                  : pending
                    ? t('security.pending')
                    : t('security.off')}
              </p>
              {!enabled && !mayEnrol ? <p className="empty">{t('security.notAvailable')}</p> : null}
              {!enabled && mayEnrol ? (
                <button className="button primary" type="button" onClick={() => void enrol()} disabled={busy} data-testid="totp-enrol">
                  {pending || enrolment ? t('security.enrolAgain') : t('security.enrol')}
                </button>
              ) : null}
              {enrolment && !enabled ? (
                <form className="security-enrol" onSubmit={confirm}>
                  <p>{t('security.enrolHelp')}</p>
                  <Field label={t('security.uri')} wide>
                    <input readOnly value={enrolment.otpauthUri} data-testid="totp-uri" onFocus={(e) => e.target.select()} />
                  </Field>
                  <Field label={t('security.secret')} wide>
                    <input readOnly value={enrolment.secret} data-testid="totp-secret" onFocus={(e) => e.target.select()} />
                  </Field>
                  <Field label={t('console.totpCode')}>
                    <input
                      name="code"
                      autoComplete="one-time-code"
                      inputMode="numeric"
                      value={code}
                      onChange={(e) => setCode(e.target.value)}
                      required
                      data-testid="totp-confirm-code"
                    />
                  </Field>
                  <button className="button primary" type="submit" disabled={busy} data-testid="totp-confirm">
                    {t('security.confirm')}
                  </button>
                </form>
              ) : null}
              {enabled || (pending && !enrolment) ? (
                <form className="security-disable" onSubmit={disable}>
                  <p>{t('security.disableHelp')}</p>
                  <Field label={t('console.totpCode')}>
                    <input
                      name="code"
                      autoComplete="one-time-code"
                      inputMode="numeric"
                      value={code}
                      onChange={(e) => setCode(e.target.value)}
                      data-testid="totp-disable-code"
                    />
                  </Field>
                  <Field label={t('console.password')}>
                    <input
                      name="password"
                      type="password"
                      autoComplete="current-password"
                      value={password}
                      onChange={(e) => setPassword(e.target.value)}
                    />
                  </Field>
                  <button className="button danger" type="submit" disabled={busy || (!code.trim() && !password)} data-testid="totp-disable">
                    {t('security.disable')}
                  </button>
                </form>
              ) : null}
              {error ? (
                <div className="form-error" role="alert">
                  {error}
                </div>
              ) : null}
              <p className="empty">{t('security.lost')}</p>
            </div>
          );
        }}
      </LoadState>
    </section>
  );
}
