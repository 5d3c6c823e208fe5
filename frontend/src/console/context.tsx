import { createContext, useContext, useMemo } from 'react';
import type { Principal } from '@dxoc/contracts';
import type { Catalog } from '../app/catalog';
import type { Api } from '../lib/api';
import type { Lang } from '../lib/format';
import { translateConsole as translate, type ConsoleMessageKey as MessageKey } from './messages';

export interface ConsoleEnv {
  api: Api;
  lang: Lang;
  catalog: Catalog;
  principal: Principal;
  navigate: (path: string) => void;
}

export const ConsoleContext = createContext<ConsoleEnv | null>(null);

export function useConsole(): ConsoleEnv {
  const env = useContext(ConsoleContext);
  if (!env) throw new Error('useConsole outside the console');
  return env;
}

export function useCT(): (key: MessageKey) => string {
  const { lang } = useConsole();
  return useMemo(() => (key: MessageKey) => translate(key, lang), [lang]);
}

/** What a principal may do: viewers only look; operators act on their own unit; staff and admins on all. */
export function permissions(principal: Principal) {
  const role = principal.role;
  return {
    // the API lets staff and admins acknowledge (POST /alerts/:id/ack)
    canAck: role === 'staff' || role === 'admin',
    canEditRules: role === 'staff' || role === 'admin',
    /** the API lets staff and admins create, edit and retire targets (POST/PUT/DELETE /targets) */
    canEditTargets: role === 'staff' || role === 'admin',
    /** GET /audit is for staff and admins */
    canSeeAudit: role === 'staff' || role === 'admin',
    /** GET/POST/DELETE /viewer-tokens are for staff and admins */
    canManageViewerTokens: role === 'staff' || role === 'admin',
    /** /users (create, disable, role, unit, password, second-factor reset) is for admins only */
    canManageUsers: role === 'admin',
    canManageKeys: role === 'operator' || role === 'admin',
    /** the unit an operator is bound to: every list is narrowed to it */
    onlyUnit: role === 'operator' ? principal.unitCode : null,
  };
}
