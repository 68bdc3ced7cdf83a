/*
 * Copyright 2026 The Shared Signals for Backstage Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { CellText, ColumnConfig, Flex, Table, Text } from '@backstage/ui';
import { useId } from 'react';
import { ssfTranslationRef } from '../../translation';

/**
 * How a series is drawn. Each has a fill pattern as well as a colour, so
 * that the series stay apart in greyscale and for colour-blind readers.
 */
export type ChartFill = 'solid' | 'stripes' | 'crosshatch';

/** One stacked series of a {@link HourlyBarChart}. */
export type ChartSeries<K extends string> = {
  key: K;
  /** Follows a count in running text: "3 delivered". */
  label: string;
  /** A CSS colour, normally a `--bui-fg-*` token. */
  color: string;
  fill: ChartFill;
};

/** One bar: a bucket's start and a count per series. */
export type ChartBucket<K extends string> = { start: string } & Record<
  K,
  number
>;

// The drawing's own units; the SVG scales to the card's width.
const WIDTH = 720;
const HEIGHT = 220;
const MARGIN = { top: 12, right: 12, bottom: 44, left: 56 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
const Y_TICKS = 4;
const X_LABELS = 6;

/** The smallest 1, 2 or 5 times a power of ten that is at least `value`. */
export function niceStep(value: number): number {
  if (value <= 1) {
    return 1;
  }
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find(m => m * power >= value)!;
  return step * power;
}

function hourLabel(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
  });
}

function rangeLabel(iso: string, bucketSeconds: number): string {
  const end = new Date(new Date(iso).getTime() + bucketSeconds * 1000);
  return `${new Date(iso).toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  })}–${hourLabel(end.toISOString())}`;
}

/** A fill pattern's id, valid in `url(#…)` (React's ids hold colons). */
function patternId(chartId: string, key: string): string {
  return `${chartId.replace(/[^a-zA-Z0-9_-]/g, '')}-${key}`;
}

function Pattern(props: { id: string; color: string; fill: ChartFill }) {
  const { id, color, fill } = props;
  if (fill === 'solid') {
    return (
      <pattern id={id} width="6" height="6" patternUnits="userSpaceOnUse">
        <rect width="6" height="6" fill={color} />
      </pattern>
    );
  }
  return (
    <pattern
      id={id}
      width="6"
      height="6"
      patternUnits="userSpaceOnUse"
      patternTransform="rotate(45)"
    >
      <rect width="6" height="6" fill={color} opacity="0.35" />
      <line x1="0" y1="0" x2="0" y2="6" stroke={color} strokeWidth="3" />
      {fill === 'crosshatch' && (
        <line x1="0" y1="3" x2="6" y2="3" stroke={color} strokeWidth="2" />
      )}
    </pattern>
  );
}

/**
 * Stacked bars of counts per time bucket (an hour on the detail pages),
 * drawn as plain SVG with the theme's tokens. Every bar has a tooltip with
 * its exact numbers, and the numbers are also in a table under "Show the
 * numbers" for screen readers and copying. An all-zero window shows
 * `emptyText` instead of a flat chart.
 */
export function HourlyBarChart<K extends string>(props: {
  /** Names the chart for assistive technology. */
  title: string;
  bucketSeconds: number;
  buckets: ChartBucket<K>[];
  series: ChartSeries<K>[];
  emptyText: string;
}) {
  const { title, bucketSeconds, buckets, series, emptyText } = props;
  const { t } = useTranslationRef(ssfTranslationRef);
  const chartId = useId();

  const totals = series.map(s => ({
    ...s,
    total: buckets.reduce((sum, b) => sum + (b[s.key] ?? 0), 0),
  }));
  const describe = (counts: { n: number; label: string }[]) =>
    counts
      .map(c => t('charts.count', { n: String(c.n), label: c.label }))
      .join(', ');
  const summary = t('charts.totals', {
    hours: String(Math.round((buckets.length * bucketSeconds) / 3600)),
    summary: describe(totals.map(s => ({ n: s.total, label: s.label }))),
  });

  if (totals.every(s => s.total === 0)) {
    return <Text color="secondary">{emptyText}</Text>;
  }

  const stackMax = Math.max(
    ...buckets.map(b => series.reduce((sum, s) => sum + (b[s.key] ?? 0), 0)),
  );
  const step = niceStep(stackMax / Y_TICKS);
  const yMax = step * Math.ceil(stackMax / step);
  const y = (value: number) => MARGIN.top + PLOT_H - (value / yMax) * PLOT_H;
  const band = PLOT_W / buckets.length;
  const barWidth = Math.max(1, band * 0.7);
  const labelEvery = Math.max(1, Math.ceil(buckets.length / X_LABELS));
  const ticks = Array.from(
    { length: Math.round(yMax / step) + 1 },
    (_, i) => i * step,
  );

  const columns: ColumnConfig<ChartBucket<K> & { id: string }>[] = [
    {
      id: 'hour',
      label: t('charts.hourColumn'),
      isRowHeader: true,
      cell: b => <CellText title={rangeLabel(b.start, bucketSeconds)} />,
    },
    ...series.map(s => ({
      id: s.key,
      label: s.label,
      cell: (b: ChartBucket<K>) => <CellText title={String(b[s.key] ?? 0)} />,
    })),
  ];

  return (
    <Flex direction="column" gap="3">
      <Text as="p">{summary}</Text>
      <Flex gap="4" style={{ flexWrap: 'wrap' }} aria-hidden>
        {series.map(s => (
          <Flex key={s.key} gap="1" align="center">
            <svg width="14" height="14" focusable="false">
              <rect
                width="14"
                height="14"
                fill={`url(#${patternId(chartId, s.key)})`}
                stroke={s.color}
              />
            </svg>
            <Text variant="body-small">{s.label}</Text>
          </Flex>
        ))}
      </Flex>
      <svg
        role="img"
        aria-label={`${title}. ${summary}`}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        style={{
          maxWidth: WIDTH,
          fontFamily: 'inherit',
          fontSize: 11,
          color: 'var(--bui-fg-secondary)',
        }}
      >
        <defs>
          {series.map(s => (
            <Pattern
              key={s.key}
              id={patternId(chartId, s.key)}
              color={s.color}
              fill={s.fill}
            />
          ))}
        </defs>
        {ticks.map(tick => (
          <g key={tick}>
            <line
              x1={MARGIN.left}
              x2={WIDTH - MARGIN.right}
              y1={y(tick)}
              y2={y(tick)}
              stroke="var(--bui-border-1)"
            />
            <text
              x={MARGIN.left - 6}
              y={y(tick)}
              textAnchor="end"
              dominantBaseline="middle"
              fill="currentColor"
            >
              {tick}
            </text>
          </g>
        ))}
        <text
          transform={`translate(14 ${MARGIN.top + PLOT_H / 2}) rotate(-90)`}
          textAnchor="middle"
          fill="currentColor"
        >
          {t('charts.setsAxis')}
        </text>
        {buckets.map((b, i) => {
          const x = MARGIN.left + i * band;
          let base = 0;
          return (
            <g key={b.start} data-testid="chart-bar">
              <title>
                {`${rangeLabel(b.start, bucketSeconds)}: ${describe(
                  series.map(s => ({ n: b[s.key] ?? 0, label: s.label })),
                )}`}
              </title>
              {/* The whole column answers the pointer, empty hours too. */}
              <rect
                x={x}
                y={MARGIN.top}
                width={band}
                height={PLOT_H}
                fill="transparent"
              />
              {series.map(s => {
                const value = b[s.key] ?? 0;
                if (value === 0) {
                  return null;
                }
                const top = y(base + value);
                const height = y(base) - top;
                base += value;
                return (
                  <rect
                    key={s.key}
                    x={x + (band - barWidth) / 2}
                    y={top}
                    width={barWidth}
                    height={height}
                    fill={`url(#${patternId(chartId, s.key)})`}
                    stroke={s.color}
                    strokeWidth="0.5"
                  />
                );
              })}
              {i % labelEvery === 0 && (
                <text
                  x={x + band / 2}
                  y={MARGIN.top + PLOT_H + 16}
                  textAnchor="middle"
                  fill="currentColor"
                >
                  {hourLabel(b.start)}
                </text>
              )}
            </g>
          );
        })}
        <line
          x1={MARGIN.left}
          x2={WIDTH - MARGIN.right}
          y1={MARGIN.top + PLOT_H}
          y2={MARGIN.top + PLOT_H}
          stroke="var(--bui-fg-secondary)"
        />
        <text
          x={MARGIN.left + PLOT_W / 2}
          y={HEIGHT - 6}
          textAnchor="middle"
          fill="currentColor"
        >
          {t('charts.hourAxis')}
        </text>
      </svg>
      <details>
        <summary>
          <Text variant="body-small">{t('charts.showNumbers')}</Text>
        </summary>
        <Table
          columnConfig={columns}
          data={buckets.map(b => ({ ...b, id: b.start }))}
          pagination={{ type: 'none' }}
        />
      </details>
    </Flex>
  );
}
