import { tableFeatures, useTable, type ColumnDef, type RowData } from '@tanstack/react-table';

// The one table component: TanStack Table computes headers and rows, React
// renders plain semantic markup. Column definitions live at module level in
// the page that owns them (see createColumnHelper<DataTableFeatures, Row>()).

export interface DataColumnMeta {
  /** Right-aligned with tabular figures. */
  numeric?: boolean;
}

export const dataTableFeatures = tableFeatures({ columnMeta: {} as DataColumnMeta });
export type DataTableFeatures = typeof dataTableFeatures;

export function DataTable<T extends RowData>(props: {
  /** Names the table for screen readers. */
  caption: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each column has its own value type
  columns: ColumnDef<DataTableFeatures, T, any>[];
  data: T[];
}) {
  const table = useTable({ features: dataTableFeatures, columns: props.columns, data: props.data });
  return (
    // Focusable so keyboard users can scroll a table wider than the screen.
    <div className="table-scroll" role="region" aria-label={props.caption} tabIndex={0}>
      <table className="data-table">
        <caption className="visually-hidden">{props.caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col" className={header.column.columnDef.meta?.numeric ? 'num' : undefined}>
                  {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id}>
              {row.getAllCells().map((cell) => (
                <td key={cell.id} className={cell.column.columnDef.meta?.numeric ? 'num' : undefined}>
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
