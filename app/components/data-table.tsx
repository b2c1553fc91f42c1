import {
  columnFilteringFeature,
  columnVisibilityFeature,
  constructSortFn,
  createFilteredRowModel,
  createSortedRowModel,
  filterFn_includesString,
  globalFilteringFeature,
  rowSortingFeature,
  sortFn_alphanumeric,
  tableFeatures,
  useTable,
  type Column,
  type ColumnDef,
  type RowData,
  type SortingState,
} from '@tanstack/react-table';
import { useId, useMemo, type ReactNode } from 'react';
import { toCsv, type Cell, type FlatRow } from '../reports/export';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { isNumericKind, Value, type ValueKind } from './value';

// The one table component: TanStack Table computes headers, sorting,
// filtering and visibility; React renders plain semantic markup.
//
// Column definitions live at module level in the page that owns them:
//
//   const column = createColumnHelper<DataTableFeatures, Row>();
//   const columns = column.columns([
//     column.accessor('channel', { meta: { label: 'dim.channel' } }),
//     column.accessor('spend', { meta: { label: 'metric.spend', kind: 'money' } }),
//   ]);
//
// `meta.kind` picks the shared formatter (app/components/value.tsx), the
// alignment and numeric sorting; `meta.label` is a message key, so headers
// follow the interface language. A column with its own `cell` renders that
// instead (drill links, flags).

export interface DataColumnMeta {
  /** How values are formatted, aligned and sorted (default: text). */
  kind?: ValueKind;
  /** Header text, translated. Without it, the definition's `header` is shown. */
  label?: MessageKey;
  /** Right-aligned with tabular figures (implied by a numeric kind). */
  numeric?: boolean;
}

/** Numbers and decimal strings compared as numbers; empty values sort lowest. */
const sortFn_numeric = constructSortFn({
  sort: (a: unknown, b: unknown) => {
    const x = a === null || a === undefined || a === '' ? -Infinity : Number(a);
    const y = b === null || b === undefined || b === '' ? -Infinity : Number(b);
    return x === y ? 0 : x < y ? -1 : 1;
  },
});

export const dataTableFeatures = tableFeatures({
  rowSortingFeature,
  columnFilteringFeature,
  globalFilteringFeature,
  columnVisibilityFeature,
  sortedRowModel: createSortedRowModel(),
  filteredRowModel: createFilteredRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, numeric: sortFn_numeric },
  filterFns: { includesString: filterFn_includesString },
  columnMeta: {} as DataColumnMeta,
});
export type DataTableFeatures = typeof dataTableFeatures;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each column has its own value type
export type DataColumn<T extends RowData> = ColumnDef<DataTableFeatures, T, any>;

export interface DataTableProps<T extends RowData> {
  /** Names the table for screen readers (and the scroll region). */
  caption: string;
  columns: DataColumn<T>[];
  data: T[];
  /** A row of totals in the same shape as `data`, shown as the table's footer. */
  totals?: T;
  /** Stable row ids (default: the index). */
  getRowId?: (row: T, index: number) => string;
  /** Extra class for a row (e.g. a flagged one). */
  rowClassName?: (row: T) => string | undefined;
  initialSorting?: SortingState;
  /** Columns hidden until the reader turns them on in the column menu. */
  initialHidden?: string[];
  /** Show a text box that filters rows on their text columns. */
  filterable?: boolean;
  /** Show the column visibility menu. */
  columnMenu?: boolean;
  /** Show "Export CSV": the visible rows and columns, in their current order, as `<exportName>.csv`. */
  exportName?: string;
  /** Keep the header in view while the table scrolls (the table gets its own scroll box). */
  stickyHeader?: boolean;
  /** Shown instead of an empty body. */
  emptyMessage?: string;
  /** Controls rendered at the start of the toolbar. */
  toolbar?: ReactNode;
}

export function DataTable<T extends RowData>(props: DataTableProps<T>) {
  const { t, tn } = useI18n();
  const filterId = useId();
  const columns = useMemo(() => props.columns.map(withDefaults), [props.columns]);
  const table = useTable({
    features: dataTableFeatures,
    columns,
    data: props.data,
    getRowId: props.getRowId,
    initialState: {
      sorting: props.initialSorting ?? [],
      columnVisibility: Object.fromEntries((props.initialHidden ?? []).map((id) => [id, false])),
    },
    globalFilterFn: 'includesString',
    getColumnCanGlobalFilter: (column) => !isNumericKind((column.columnDef.meta as DataColumnMeta | undefined)?.kind),
  });

  const rows = table.getRowModel().rows;
  const visibleColumns = table.getVisibleLeafColumns();
  const filterText = String(table.state.globalFilter ?? '');
  const hasToolbar = props.filterable || props.columnMenu || props.exportName || props.toolbar;

  const exportCsv = () => {
    const ids = visibleColumns.map((c) => c.id);
    const flat: FlatRow[] = rows.map((row) => Object.fromEntries(ids.map((id) => [id, toCell(row.getValue(id))])));
    // The BOM lets spreadsheet programs read UTF-8 (Cyrillic names) correctly.
    downloadText(`\uFEFF${toCsv(ids, flat)}`, `${props.exportName}.csv`);
  };

  return (
    <div className="data-table-wrap">
      {hasToolbar ? (
        <div className="table-toolbar">
          {props.toolbar}
          {props.filterable ? (
            <div className="table-filter">
              <label htmlFor={filterId} className="visually-hidden">
                {t('table.filter')}
              </label>
              <input
                id={filterId}
                type="search"
                placeholder={t('table.filterPlaceholder')}
                value={filterText}
                onChange={(event) => table.setGlobalFilter(event.currentTarget.value)}
              />
            </div>
          ) : null}
          {filterText ? (
            <span className="table-count muted" role="status">
              {tn('table.rowsShown', props.data.length, { shown: rows.length })}
            </span>
          ) : null}
          <span className="table-toolbar-end">
            {props.columnMenu ? <ColumnMenu columns={table.getAllLeafColumns()} /> : null}
            {props.exportName ? (
              <button type="button" className="button button-secondary" onClick={exportCsv}>
                {t('table.exportCsv')}
              </button>
            ) : null}
          </span>
        </div>
      ) : null}
      {/* Focusable so keyboard users can scroll a table wider than the screen. */}
      <div className={props.stickyHeader ? 'table-scroll table-sticky' : 'table-scroll'} role="region" aria-label={props.caption} tabIndex={0}>
        <table className="data-table">
          <caption className="visually-hidden">{props.caption}</caption>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const canSort = header.column.getCanSort();
                  const content = header.isPlaceholder ? null : <table.FlexRender header={header} />;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      className={alignClass(header.column)}
                      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                    >
                      {canSort && !header.isPlaceholder ? (
                        <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                          {content}
                          <span className="sort-mark" aria-hidden="true">
                            {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                          </span>
                        </button>
                      ) : (
                        content
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={Math.max(1, visibleColumns.length)} className="table-empty">
                  {filterText ? t('table.noMatch', { query: filterText }) : (props.emptyMessage ?? t('chart.empty'))}
                </td>
              </tr>
            ) : (
              rows.map((row) => (
                <tr key={row.id} className={props.rowClassName?.(row.original)}>
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} className={alignClass(cell.column)}>
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
          {props.totals && rows.length > 0 ? (
            <tfoot>
              <tr className="totals-row">
                {visibleColumns.map((column, i) => {
                  const value = column.accessorFn ? column.accessorFn(props.totals as T, -1) : undefined;
                  const kind = column.columnDef.meta?.kind ?? 'text';
                  const isLabel = i === 0 && !isNumericKind(kind);
                  return i === 0 && isLabel ? (
                    <th key={column.id} scope="row" className={alignClass(column)}>
                      {filterText ? t('table.totalAll') : t('table.total')}
                    </th>
                  ) : (
                    <td key={column.id} className={alignClass(column)}>
                      {isNumericKind(kind) ? <Value kind={kind} value={value} /> : null}
                    </td>
                  );
                })}
              </tr>
            </tfoot>
          ) : null}
        </table>
      </div>
    </div>
  );
}

function ColumnMenu<T extends RowData>({ columns }: { columns: Column<DataTableFeatures, T, unknown>[] }) {
  const { t } = useI18n();
  return (
    <details className="menu">
      <summary className="button button-secondary">{t('table.columns')}</summary>
      <fieldset className="menu-panel">
        <legend className="visually-hidden">{t('table.columns')}</legend>
        {columns
          .filter((c) => c.getCanHide())
          .map((c) => (
            <label key={c.id} className="check">
              <input type="checkbox" checked={c.getIsVisible()} onChange={c.getToggleVisibilityHandler()} />
              <ColumnLabel column={c} />
            </label>
          ))}
      </fieldset>
    </details>
  );
}

function ColumnLabel<T extends RowData>({ column }: { column: Column<DataTableFeatures, T, unknown> }) {
  const { t } = useI18n();
  const label = column.columnDef.meta?.label;
  if (label) return <>{t(label)}</>;
  const header = column.columnDef.header;
  return <>{typeof header === 'string' ? header : column.id}</>;
}

function HeaderLabel({ label }: { label: MessageKey }) {
  return <>{useI18n().t(label)}</>;
}

/** Fills in what the meta implies: translated header, shared formatter, numeric sorting. */
function withDefaults<T extends RowData>(def: DataColumn<T>): DataColumn<T> {
  const meta = def.meta;
  if (!meta) return def;
  const out: DataColumn<T> = { ...def };
  if (meta.label && out.header === undefined) {
    const label = meta.label;
    out.header = () => <HeaderLabel label={label} />;
  }
  if (meta.kind && !('cell' in def && def.cell)) {
    const kind = meta.kind;
    out.cell = (ctx) => <Value kind={kind} value={ctx.getValue()} />;
  }
  if (out.sortFn === undefined) out.sortFn = isNumericKind(meta.kind) || meta.numeric ? 'numeric' : 'alphanumeric';
  return out;
}

function alignClass<T extends RowData>(column: Column<DataTableFeatures, T, unknown>): string | undefined {
  const meta = column.columnDef.meta;
  return meta?.numeric || isNumericKind(meta?.kind) ? 'num' : undefined;
}

function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function downloadText(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
