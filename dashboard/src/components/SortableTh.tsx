// The one sortable column header of the dashboard's tables (screener, reviews, trades).

/**
 * A column header whose button sorts by it; `order` is the current order when the table is sorted
 * by this column, null otherwise. aria-sort tells assistive tech the current order.
 */
export function SortableTh({
  label,
  order,
  onSort,
  numeric = false,
  title,
}: {
  label: string;
  order: 'asc' | 'desc' | null;
  onSort: () => void;
  numeric?: boolean;
  title?: string | undefined;
}) {
  return (
    <th
      scope="col"
      className={numeric ? 'num' : undefined}
      aria-sort={order === null ? 'none' : order === 'asc' ? 'ascending' : 'descending'}
      title={title}
    >
      <button type="button" className={`sort ${order !== null ? 'active' : ''}`} onClick={onSort}>
        {label}
        <span className="sort-mark" aria-hidden="true">
          {order === null ? '↕' : order === 'asc' ? '▲' : '▼'}
        </span>
      </button>
    </th>
  );
}
