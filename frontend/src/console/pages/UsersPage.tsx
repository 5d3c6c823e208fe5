import { CreateUserRequest, ROLES, UpdateUserRequest, type Role, type User } from '@dxoc/contracts';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../lib/api';
import { formatDateTime, type Lang } from '../../lib/format';
import { translateConsole as translate } from '../messages';
import { useConsole, useCT } from '../context';
import { apiFieldErrors, zodFieldErrors, type FieldErrors } from '../form-errors';
import { Field, LoadedList, useLoad } from '../ui';

export interface UserDraft {
  username: string;
  role: Role;
  unitCode: string;
  password: string;
}

/**
 * The create form's text → a checked CreateUserRequest, or one message per field in the console's language:
 * zod's words, made specific where zod's would be vague (the username's pattern, an operator without a unit).
 * Only operators carry a unit; the server refuses a unit on any other role. Pure.
 */
export function checkUserDraft(draft: UserDraft, lang: Lang): { ok: true; input: CreateUserRequest } | { ok: false; errors: FieldErrors } {
  const input = {
    username: draft.username.trim(),
    password: draft.password,
    role: draft.role,
    unitCode: draft.role === 'operator' ? draft.unitCode || null : null,
  };
  const parsed = CreateUserRequest.safeParse(input);
  const errors: FieldErrors = parsed.success ? {} : zodFieldErrors(parsed.error, lang);
  if (errors.username)
    errors.username = input.username === '' ? (lang === 'vi' ? 'Bắt buộc nhập' : 'Required') : translate('users.usernameRule', lang);
  if (draft.role === 'operator' && !input.unitCode) errors.unitCode = translate('users.unitNeeded', lang);
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, input: parsed.data };
  return { ok: false, errors };
}

/** The server's refusals of a user change → messages on the fields they concern. */
function serverErrors(error: unknown, lang: Lang): { errors: FieldErrors; form: string | null } {
  if (error instanceof ApiError && error.code === 'user_exists')
    return { errors: { username: translate('users.exists', lang) }, form: null };
  if (error instanceof ApiError && ['unknown_unit', 'dissolved_unit', 'invalid_user'].includes(error.code))
    return {
      errors: { unitCode: lang === 'vi' && error.code === 'invalid_user' ? translate('users.unitNeeded', lang) : error.message },
      form: null,
    };
  if (error instanceof ApiError && error.status === 400) {
    const errors = apiFieldErrors(error.details, lang);
    return { errors, form: Object.keys(errors).length ? null : error.message };
  }
  return { errors: {}, form: error instanceof Error ? error.message : String(error) };
}

/**
 * Console accounts (admins only, GET/POST/PUT /api/v1/users): create one with its role, its unit for an operator
 * and an initial password the admin types and hands over; change role and unit, disable or enable, set a new
 * password, and switch off a lost second factor. Every change signs that user out everywhere (the server does).
 */
export function UsersPage() {
  const { api } = useConsole();
  const t = useCT();
  const [list, reload] = useLoad((signal) => api.users(signal), [api]);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section className="page" data-testid="users-page">
      <div className="page-head">
        <h1>{t('console.nav.users')}</h1>
      </div>
      <CreateUserForm
        onCreated={(user) => {
          setNotice(`${t('users.create')}: ${user.username}`);
          reload();
        }}
      />
      {notice ? (
        <div className="banner info" role="status" data-testid="users-notice">
          {notice}
        </div>
      ) : null}
      <LoadedList value={list}>
        {(users) => (
          <table className="table" data-testid="users-table">
            <thead>
              <tr>
                <th>{t('users.username')}</th>
                <th>{t('users.role')}</th>
                <th>{t('wall.unit')}</th>
                <th>{t('users.created')}</th>
                <th>{t('users.state')}</th>
                <th>{t('users.totp')}</th>
                <th>{t('console.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <UserRow key={user.id} user={user} onChanged={setNotice} reload={reload} />
              ))}
            </tbody>
          </table>
        )}
      </LoadedList>
    </section>
  );
}

function RoleSelect({ value, onChange, name }: { value: Role; onChange: (role: Role) => void; name: string }) {
  const t = useCT();
  return (
    <select name={name} value={value} onChange={(e) => onChange(e.target.value as Role)}>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {t(`role.${role}`)}
        </option>
      ))}
    </select>
  );
}

function CreateUserForm({ onCreated }: { onCreated: (user: User) => void }) {
  const { api, lang } = useConsole();
  const t = useCT();
  const empty: UserDraft = { username: '', role: 'staff', unitCode: '', password: '' };
  const [draft, setDraft] = useState<UserDraft>(empty);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof UserDraft>(key: K, value: UserDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const checked = checkUserDraft(draft, lang);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const user = await api.createUser(checked.input);
      setDraft(empty);
      onCreated(user);
    } catch (error) {
      const refused = serverErrors(error, lang);
      setErrors(refused.errors);
      setFormError(refused.form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form-grid" data-testid="user-form" onSubmit={(e) => void submit(e)} noValidate>
      <h2 className="wide">{t('users.new')}</h2>
      <Field label={t('users.username')} error={errors.username}>
        <input name="username" autoComplete="off" value={draft.username} onChange={(e) => set('username', e.target.value)} />
      </Field>
      <Field label={t('users.role')} error={errors.role}>
        <RoleSelect name="role" value={draft.role} onChange={(role) => set('role', role)} />
      </Field>
      {draft.role === 'operator' ? (
        <Field label={t('users.unit')} error={errors.unitCode}>
          <UnitSelectWithNone name="unitCode" value={draft.unitCode} onChange={(v) => set('unitCode', v)} />
        </Field>
      ) : null}
      <Field label={t('users.password')} error={errors.password ?? undefined}>
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          value={draft.password}
          onChange={(e) => set('password', e.target.value)}
        />
      </Field>
      <p className="hint wide">{t('users.passwordHint')}</p>
      {formError ? (
        <div className="form-error wide" role="alert">
          {formError}
        </div>
      ) : null}
      <div className="wide">
        <button type="submit" className="button primary" disabled={busy} data-testid="user-create">
          {t('users.create')}
        </button>
      </div>
    </form>
  );
}

/** A unit picker that starts empty, so an operator's unit is always a choice, never the list's first entry. */
function UnitSelectWithNone({ value, onChange, name }: { value: string; onChange: (v: string) => void; name: string }) {
  const { catalog, lang } = useConsole();
  const t = useCT();
  return (
    <select name={name} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{t('users.noUnit')}</option>
      {catalog.units
        .filter((u) => u.validUntil === null)
        .map((u) => (
          <option key={u.code} value={u.code}>
            {lang === 'vi' ? u.nameVi : u.nameEn} ({u.code})
          </option>
        ))}
    </select>
  );
}
function UserRow({ user, onChanged, reload }: { user: User; onChanged: (notice: string) => void; reload: () => void }) {
  const { api, catalog, lang, principal } = useConsole();
  const t = useCT();
  const self = principal.kind === 'user' && principal.id === user.id;
  const [editing, setEditing] = useState(false);
  const [role, setRole] = useState<Role>(user.role);
  const [unitCode, setUnitCode] = useState(user.unitCode ?? '');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const change = async (update: UpdateUserRequest, notice: string) => {
    setFormError(null);
    const parsed = UpdateUserRequest.safeParse(update);
    const local = parsed.success ? {} : zodFieldErrors(parsed.error, lang);
    if (update.role === 'operator' && !update.unitCode) local.unitCode = t('users.unitNeeded');
    if (!parsed.success || Object.keys(local).length) {
      setErrors(local);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await api.updateUser(user.id, parsed.data);
      setPassword('');
      setEditing(false);
      onChanged(`${user.username}: ${notice}`);
      reload();
    } catch (error) {
      const refused = serverErrors(error, lang);
      setErrors(refused.errors);
      setFormError(refused.form);
    } finally {
      setBusy(false);
    }
  };
  const toggle = () => {
    if (!user.disabledAt && !window.confirm(`${t('users.disableConfirm')}\n\n${user.username}`)) return;
    void change({ disabled: !user.disabledAt }, t('users.saved'));
  };
  const resetTotp = async () => {
    if (!window.confirm(`${t('users.totpResetConfirm')}\n\n${user.username}`)) return;
    setFormError(null);
    try {
      await api.resetUserTotp(user.id);
      onChanged(`${user.username}: ${t('users.totpReset')}`);
      reload();
    } catch (error) {
      setFormError(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <>
      <tr className={user.disabledAt ? 'disabled' : ''} data-username={user.username} data-disabled={user.disabledAt !== null}>
        <td className="strong">
          {user.username}
          {self ? <span className="muted small"> ({t('users.you')})</span> : null}
        </td>
        <td data-testid="user-role">{t(`role.${user.role}`)}</td>
        <td>{user.unitCode ? catalog.unitName(user.unitCode, lang) : '—'}</td>
        <td className="small">{formatDateTime(user.createdAt, lang)}</td>
        <td>{user.disabledAt ? `${t('users.disabledSince')} ${formatDateTime(user.disabledAt, lang)}` : t('users.active')}</td>
        <td>{user.totpEnabled ? t('users.totpOn') : t('users.totpOff')}</td>
        <td className="actions">
          <button type="button" className="button small ghost" onClick={() => setEditing((v) => !v)} data-testid="user-edit">
            {t('console.edit')}
          </button>
          {self ? null : (
            <button
              type="button"
              className={`button small ${user.disabledAt ? '' : 'danger'}`}
              onClick={toggle}
              disabled={busy}
              data-testid="user-toggle"
            >
              {user.disabledAt ? t('users.enable') : t('users.disable')}
            </button>
          )}
          {user.totpEnabled ? (
            <button type="button" className="button small danger" onClick={() => void resetTotp()} data-testid="user-totp-reset">
              {t('users.totpReset')}
            </button>
          ) : null}
        </td>
      </tr>
      {editing || formError ? (
        <tr className="inline-form">
          <td colSpan={7}>
            {editing ? (
              <div className="ack-form" data-testid="user-edit-form">
                {self ? (
                  <p className="hint">{t('users.selfLocked')}</p>
                ) : (
                  <>
                    <Field label={t('users.role')} error={errors.role}>
                      <RoleSelect name="editRole" value={role} onChange={setRole} />
                    </Field>
                    {role === 'operator' ? (
                      <Field label={t('users.unit')} error={errors.unitCode}>
                        <UnitSelectWithNone name="editUnit" value={unitCode} onChange={setUnitCode} />
                      </Field>
                    ) : null}
                    <button
                      type="button"
                      className="button primary"
                      disabled={busy}
                      data-testid="user-save"
                      onClick={() => void change({ role, unitCode: role === 'operator' ? unitCode || null : null }, t('users.saved'))}
                    >
                      {t('users.change')}
                    </button>
                  </>
                )}
                <Field label={t('users.newPassword')} error={errors.password}>
                  <input
                    name="newPassword"
                    type="password"
                    autoComplete="new-password"
                    value={password}
                    onChange={(e) => setPassword(e.target.value)}
                  />
                </Field>
                <button
                  type="button"
                  className="button"
                  disabled={busy}
                  data-testid="user-password"
                  onClick={() => void change({ password }, t('users.passwordSet'))}
                >
                  {t('users.resetPassword')}
                </button>
                <button type="button" className="button ghost" onClick={() => setEditing(false)}>
                  {t('console.cancel')}
                </button>
              </div>
            ) : null}
            {formError ? (
              <div className="form-error" role="alert">
                {formError}
              </div>
            ) : null}
          </td>
        </tr>
      ) : null}
    </>
  );
}
