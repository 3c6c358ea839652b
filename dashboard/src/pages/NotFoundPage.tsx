import { todayHref } from '../router.ts';

export function NotFoundPage({ path }: { path: string }) {
  return (
    <div className="state empty">
      No page at <span className="mono">{path}</span>. <a href={todayHref}>Back to today</a>
    </div>
  );
}
