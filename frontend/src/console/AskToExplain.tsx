import { askToExplainPath, type AskFrom } from '../lib/directives';
import { useConsole } from './context';

/**
 * "Yêu cầu giải trình / Ask to explain" beside a firing alert, a target at risk or a late reporter: opens the
 * directive form prefilled with the unit and what prompted it. Only staff and admins issue directives.
 */
export function AskToExplain({ from }: { from: AskFrom }) {
  const { lang, principal, navigate } = useConsole();
  if (principal.role !== 'staff' && principal.role !== 'admin') return null;
  const path = askToExplainPath(from);
  return (
    <a
      className="button small ghost ask-explain"
      href={path}
      data-testid="ask-explain"
      onClick={(event) => {
        event.preventDefault();
        event.stopPropagation();
        navigate(path);
      }}
    >
      {lang === 'vi' ? 'Yêu cầu giải trình' : 'Ask to explain'}
    </a>
  );
}
