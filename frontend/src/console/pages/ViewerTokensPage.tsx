import { CreateViewerTokenRequest, type ViewerToken } from '@dxoc/contracts';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useConsole, useCT } from '../context';
import { apiFieldErrors, zodFieldErrors, type FieldErrors } from '../form-errors';
import { Field, LoadedList, useLoad } from '../ui';

/**
 * Viewer tokens for the walls in meeting rooms (staff and admins): create one with a name, its secret shown this
 * once (the server keeps only a hash), see when each was last used, revoke one that is lost or no longer needed
 * (walls using it lose access at once: the live stream checks credentials again).
 */
export function ViewerTokensPage() {
  const { api, lang } = useConsole();
  const t = useCT();
  const [list, reload] = useLoad((signal) => api.viewerTokens(signal), [api]);
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const parsed = CreateViewerTokenRequest.safeParse({ name: name.trim() });
    if (!parsed.success) {
      setErrors(zodFieldErrors(parsed.error, lang));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const answer = await api.createViewerToken(parsed.data.name);
      setCreated({ name: answer.name, token: answer.token });
      setCopied('no');
      setName('');
      reload();
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        const fromServer = apiFieldErrors(error.details, lang);
        setErrors(fromServer);
        if (Object.keys(fromServer).length === 0) setFormError(error.message);
      } else setFormError(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied('yes');
    } catch {
      // no clipboard API (plain http on another host): select the text for Ctrl+C
      const field = document.querySelector<HTMLInputElement>('[data-testid="viewer-token-secret"]');
      field?.select();
      setCopied(document.execCommand?.('copy') ? 'yes' : 'failed');
    }
  };

  const revoke = async (token: ViewerToken) => {
    if (!window.confirm(`${t('tokens.revokeConfirm')}\n\n${token.name}`)) return;
    try {
      await api.revokeViewerToken(token.id);
    } catch (error) {
      setFormError(error instanceof Error ? error.message : String(error));
    }
    reload();
  };

  return (
    <section className="page" data-testid="viewer-tokens-page">
      <div className="page-head">
        <h1>{t('console.nav.viewerTokens')}</h1>
      </div>
      <p className="hint">{t('tokens.help')}</p>
      {created ? (
        <div className="created-key" role="status" data-testid="viewer-token-created">
          <div className="strong">
            {t('tokens.secretTitle')}: {created.name}
          </div>
          <div className="form-error" data-testid="viewer-token-once">
            ⚠ {t('tokens.once')}
          </div>
          <div className="key-row">
            <input readOnly value={created.token} data-testid="viewer-token-secret" onFocus={(e) => e.target.select()} />
            <button type="button" className="button primary" onClick={() => void copy()} data-testid="viewer-token-copy">
              {copied === 'yes' ? `✓ ${t('console.copied')}` : t('console.copy')}
            </button>
            <a className="button ghost" href={`/wall?token=${encodeURIComponent(created.token)}`} target="_blank" rel="noreferrer">
              {t('tokens.openWall')} ↗
            </a>
            <button type="button" className="button ghost" onClick={() => setCreated(null)} data-testid="viewer-token-dismiss">
              {t('tokens.dismiss')}
            </button>
          </div>
          {copied === 'failed' ? <div className="field-error">{t('tokens.copyFailed')}</div> : null}
        </div>
      ) : null}
      <form className="filters" onSubmit={(e) => void create(e)} data-testid="viewer-token-form" noValidate>
        <Field label={t('tokens.name')} error={errors.name}>
          <input name="tokenName" value={name} onChange={(e) => setName(e.target.value)} placeholder="Phòng họp tầng 3" />
        </Field>
        <button type="submit" className="button primary" disabled={busy} data-testid="viewer-token-create">
          {t('tokens.create')}
        </button>
      </form>
      {formError ? (
        <div className="form-error" role="alert">
          {formError}
        </div>
      ) : null}
      <LoadedList value={list}>
        {(tokens) => (
          <table className="table" data-testid="viewer-tokens-table">
            <thead>
              <tr>
                <th>{t('tokens.name')}</th>
                <th>{t('tokens.created')}</th>
                <th>{t('tokens.createdBy')}</th>
                <th>{t('tokens.lastUsed')}</th>
                <th>{t('tokens.state')}</th>
                <th>{t('console.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr
                  key={token.id}
                  className={token.revokedAt ? 'disabled' : ''}
                  data-token-id={token.id}
                  data-token-name={token.name}
                  data-revoked={token.revokedAt !== null}
                >
                  <td className="strong">{token.name}</td>
                  <td className="small">{formatDateTime(token.createdAt, lang)}</td>
                  <td className="small">{token.createdBy}</td>
                  <td className="small" data-testid="token-last-used">
                    {token.lastUsedAt ? formatDateTime(token.lastUsedAt, lang) : t('tokens.never')}
                  </td>
                  <td>{token.revokedAt ? `${t('tokens.revoked')} ${formatDateTime(token.revokedAt, lang)}` : t('tokens.active')}</td>
                  <td className="actions">
                    {token.revokedAt ? null : (
                      <button
                        type="button"
                        className="button small danger"
                        onClick={() => void revoke(token)}
                        data-testid="viewer-token-revoke"
                      >
                        {t('tokens.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </LoadedList>
    </section>
  );
}
