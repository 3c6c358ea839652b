import { lazy, Suspense, useState } from 'react';
import { Loading } from '../components/QueryState.tsx';
import { FeedPanel } from '../components/signals/FeedPanel.tsx';
import { TemplatesPanel } from '../components/signals/TemplatesPanel.tsx';
import '../components/ops.css';

// The editor (form, condition tree, live preview) is a separate chunk: most visits only read.
const TemplateEditor = lazy(() =>
  import('../components/signals/TemplateEditor.tsx').then((m) => ({ default: m.TemplateEditor })),
);

/** Templates with their scorecards, the change feed and the template editor. */
export function SignalsPage() {
  // null: closed; { id: null }: a new template; { id }: that template.
  const [editing, setEditing] = useState<{ id: string | null } | null>(null);
  return (
    <>
      <div className="page-title">
        <h1>Signals</h1>
      </div>
      {editing && (
        <Suspense fallback={<Loading what="the template editor" />}>
          <TemplateEditor
            key={editing.id ?? 'new'}
            templateId={editing.id}
            onClose={() => setEditing(null)}
          />
        </Suspense>
      )}
      <FeedPanel />
      <TemplatesPanel
        onEdit={(id) => {
          setEditing({ id });
          window.scrollTo({ top: 0 });
        }}
        onNew={() => setEditing({ id: null })}
      />
    </>
  );
}
