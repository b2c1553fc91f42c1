import { max, sum } from 'd3';
import type { PointerEvent, ReactNode } from 'react';
import { ChartFrame } from './chart-frame';
import { ChartTooltip, type TooltipRow } from './tooltip';
import { useActiveIndex } from './use-active-index';
import { useElementWidth } from './use-element-width';

// A Sankey (flow) diagram: nodes in columns, links as bands whose width is
// their value. The layout is computed here with plain arithmetic and d3's
// helpers (d3-sankey is not a dependency); React renders the SVG.

export interface SankeyNodeInput {
  id: string;
  /** 0-based column. */
  column: number;
  value: number;
  label: string;
  /** Tooltip title (default: the label). */
  title?: string;
  color: string;
  /** Tooltip rows (default: the value). */
  details?: TooltipRow[];
}

export interface SankeyLinkInput {
  source: string;
  target: string;
  value: number;
}

export interface SankeyNode extends SankeyNodeInput {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export interface SankeyLink extends SankeyLinkInput {
  /** Band width in pixels. */
  width: number;
  /** Centre of the band where it leaves the source and where it enters the target. */
  y0: number;
  y1: number;
  x0: number;
  x1: number;
}

export interface SankeyLayout {
  nodes: SankeyNode[];
  links: SankeyLink[];
  /** Pixels per unit of value. */
  scale: number;
}

/**
 * Positions nodes and links in a `width` × `height` box. Columns are spread
 * evenly; within a column nodes keep their input order, stacked with
 * `nodePadding` between them and centred vertically. One scale (pixels per
 * unit) serves every column, the one the fullest column allows, so equal
 * values look equal everywhere. A node is as tall as its value; a link's
 * band is stacked at its source in the order of its targets' positions and
 * at its target in the order of its sources', so bands do not cross at a node.
 */
export function computeSankeyLayout(
  nodes: readonly SankeyNodeInput[],
  links: readonly SankeyLinkInput[],
  { width, height, nodeWidth = 12, nodePadding = 10 }: { width: number; height: number; nodeWidth?: number; nodePadding?: number },
): SankeyLayout {
  const columns = (max(nodes, (n) => n.column) ?? 0) + 1;
  const byColumn = Array.from({ length: columns }, (_, c) => nodes.filter((n) => n.column === c));
  const scale =
    Math.min(
      ...byColumn
        .filter((col) => col.length > 0)
        .map((col) => {
          const total = sum(col, (n) => n.value);
          return total > 0 ? Math.max(0, height - (col.length - 1) * nodePadding) / total : Infinity;
        }),
    ) || 0;
  const k = Number.isFinite(scale) ? scale : 0;
  const step = columns > 1 ? (width - nodeWidth) / (columns - 1) : 0;

  const placed = new Map<string, SankeyNode>();
  for (const col of byColumn) {
    const used = sum(col, (n) => n.value * k) + Math.max(0, col.length - 1) * nodePadding;
    let y = Math.max(0, (height - used) / 2);
    for (const n of col) {
      const h = n.value * k;
      const x0 = n.column * step;
      placed.set(n.id, { ...n, x0, x1: x0 + nodeWidth, y0: y, y1: y + h });
      y += h + nodePadding;
    }
  }

  const kept = links.filter((l) => placed.has(l.source) && placed.has(l.target) && l.value > 0);
  const out = new Map<SankeyLinkInput, SankeyLink>();
  const stack = (key: 'source' | 'target') => {
    const other = key === 'source' ? 'target' : 'source';
    const groups = new Map<string, SankeyLinkInput[]>();
    for (const l of kept) groups.set(l[key], [...(groups.get(l[key]) ?? []), l]);
    for (const [id, group] of groups) {
      const node = placed.get(id)!;
      let y = node.y0;
      group.sort((a, b) => placed.get(a[other])!.y0 - placed.get(b[other])!.y0);
      for (const l of group) {
        const w = l.value * k;
        const link = out.get(l) ?? { ...l, width: w, y0: 0, y1: 0, x0: placed.get(l.source)!.x1, x1: placed.get(l.target)!.x0 };
        if (key === 'source') link.y0 = y + w / 2;
        else link.y1 = y + w / 2;
        out.set(l, link);
        y += w;
      }
    }
  };
  stack('source');
  stack('target');
  return { nodes: [...placed.values()], links: kept.map((l) => out.get(l)!), scale: k };
}

/** The band of a link as a stroked cubic curve. */
function linkPath(l: SankeyLink): string {
  const xm = (l.x0 + l.x1) / 2;
  return `M${l.x0},${l.y0}C${xm},${l.y0} ${xm},${l.y1} ${l.x1},${l.y1}`;
}

const MARGIN = { top: 22, bottom: 4 };
const NODE_WIDTH = 12;

/**
 * A flow diagram in a ChartFrame. Pointer or arrow keys pick a node or a
 * link (links first, largest first), whose tooltip the caller words.
 */
export function SankeyChart(props: {
  title: string;
  description?: ReactNode;
  nodes: SankeyNodeInput[];
  links: SankeyLinkInput[];
  /** Headings over the columns. */
  columnLabels: string[];
  format: (value: number) => string;
  linkLabel: (source: SankeyNodeInput, target: SankeyNodeInput) => string;
  /** Tooltip rows of a link (default: its value). */
  linkDetails?: (link: SankeyLinkInput) => TooltipRow[];
  headingLevel?: 2 | 3;
  emptyMessage?: string;
}) {
  const [ref, width] = useElementWidth<HTMLDivElement>(720);
  const isEmpty = props.nodes.length === 0 || props.nodes.every((n) => n.value === 0);
  const fullest = max(
    props.columnLabels.map((_, c) => props.nodes.filter((n) => n.column === c).length),
  ) ?? 1;
  const plotHeight = Math.max(220, Math.min(520, fullest * 30));
  const height = MARGIN.top + plotHeight + MARGIN.bottom;
  // Room for the labels of the last column, which sit left of its nodes.
  const layout = computeSankeyLayout(props.nodes, props.links, { width, height: plotHeight, nodeWidth: NODE_WIDTH, nodePadding: 8 });
  const nodeById = new Map(layout.nodes.map((n) => [n.id, n]));
  const links = [...layout.links].sort((a, b) => b.value - a.value);
  const items = links.length + layout.nodes.length;
  const { active, setActive, keyboardProps } = useActiveIndex(items);
  const activeLink = active !== null && active < links.length ? links[active]! : null;
  const activeNode = active !== null && active >= links.length ? layout.nodes[active - links.length]! : null;
  const columns = props.columnLabels.length;
  const step = columns > 1 ? (width - NODE_WIDTH) / (columns - 1) : 0;
  const labelRoom = Math.max(40, step - NODE_WIDTH - 12);
  const maxChars = Math.max(4, Math.floor(labelRoom / 6.6));
  const truncate = (s: string) => (s.length > maxChars ? `${s.slice(0, maxChars - 1)}…` : s);

  const isHighlighted = (l: SankeyLink) =>
    activeLink ? activeLink === l : activeNode ? l.source === activeNode.id || l.target === activeNode.id : true;

  const pick = (index: number) => (event: PointerEvent) => {
    event.stopPropagation();
    setActive(index);
  };

  let tooltip: ReactNode = null;
  if (activeLink) {
    const s = nodeById.get(activeLink.source)!;
    const t = nodeById.get(activeLink.target)!;
    tooltip = (
      <ChartTooltip
        x={(activeLink.x0 + activeLink.x1) / 2}
        y={MARGIN.top + (activeLink.y0 + activeLink.y1) / 2}
        width={width}
        title={props.linkLabel(s, t)}
        rows={props.linkDetails ? props.linkDetails(activeLink) : [{ label: props.title, value: props.format(activeLink.value) }]}
      />
    );
  } else if (activeNode) {
    tooltip = (
      <ChartTooltip
        x={activeNode.x1}
        y={MARGIN.top + activeNode.y0}
        width={width}
        title={activeNode.title ?? activeNode.label}
        rows={activeNode.details ?? [{ label: props.title, value: props.format(activeNode.value), color: activeNode.color }]}
      />
    );
  }

  return (
    <ChartFrame title={props.title} description={props.description} isEmpty={isEmpty} emptyMessage={props.emptyMessage} headingLevel={props.headingLevel}>
      <div className="chart-body" ref={ref}>
        <svg
          width="100%"
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-label={props.title}
          className="chart-svg"
          {...keyboardProps}
          onPointerLeave={() => setActive(null)}
        >
          <g className="chart-axis" aria-hidden="true">
            {props.columnLabels.map((label, c) => (
              <text key={label} x={c === columns - 1 && columns > 1 ? width : c * step} y={12} textAnchor={c === columns - 1 && columns > 1 ? 'end' : 'start'}>
                {label}
              </text>
            ))}
          </g>
          <g transform={`translate(0,${MARGIN.top})`}>
            <g fill="none">
              {links.map((l, i) => (
                <path
                  key={`${l.source}>${l.target}`}
                  d={linkPath(l)}
                  stroke={nodeById.get(l.source)!.color}
                  strokeWidth={Math.max(1, l.width)}
                  strokeOpacity={isHighlighted(l) ? (activeLink === l ? 0.6 : 0.35) : 0.08}
                  onPointerEnter={pick(i)}
                  onPointerDown={pick(i)}
                />
              ))}
            </g>
            {layout.nodes.map((n, i) => {
              const isLast = n.column === columns - 1 && columns > 1;
              const dim = activeNode !== null && activeNode !== n;
              return (
                <g key={n.id} opacity={dim ? 0.5 : 1} onPointerEnter={pick(links.length + i)} onPointerDown={pick(links.length + i)}>
                  <rect x={n.x0} y={n.y0} width={n.x1 - n.x0} height={Math.max(1, n.y1 - n.y0)} fill={n.color} rx={2} />
                  {n.y1 - n.y0 >= 9 ? (
                    <text
                      className="chart-row-label"
                      x={isLast ? n.x0 - 6 : n.x1 + 6}
                      y={(n.y0 + n.y1) / 2}
                      dy="0.32em"
                      textAnchor={isLast ? 'end' : 'start'}
                      stroke="#fff"
                      strokeWidth={3}
                      paintOrder="stroke"
                      strokeLinejoin="round"
                    >
                      <title>{n.label}</title>
                      {truncate(n.label)} {props.format(n.value)}
                    </text>
                  ) : null}
                </g>
              );
            })}
          </g>
        </svg>
        {tooltip}
      </div>
    </ChartFrame>
  );
}
