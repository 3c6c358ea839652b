/** The symbol/name search box; `data-search` lets the `/` shortcut focus it. */
export function SymbolSearchInput({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (text: string) => void;
}) {
  return (
    <input
      type="search"
      data-search
      className="search"
      placeholder="Search symbol or name  ( / )"
      aria-label={label}
      maxLength={50}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
