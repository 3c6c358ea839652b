import { ColorType, CrosshairMode, createChart, type IChartApi } from 'lightweight-charts';
import type { Theme } from '../lib/theme.ts';

// The chart setup the asset chart and the equity chart share. Imported only by those lazily loaded
// charts, so lightweight-charts stays in their chunk.

/** The theme's colours, read from the CSS variables so the chart matches the page. */
function themeColors() {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    background: v('--card', '#ffffff'),
    text: v('--text', '#334155'),
    grid: v('--grid', '#eef2f6'),
    border: v('--border', '#d8dee6'),
  };
}

/**
 * A chart in `container` sized to it, coloured from the page's CSS variables. `theme` is not read
 * (the variables carry it): callers pass it so their effect rebuilds the chart when it changes.
 */
export function createThemedChart(container: HTMLElement, _theme: Theme): IChartApi {
  const colors = themeColors();
  return createChart(container, {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: colors.background },
      textColor: colors.text,
      fontSize: 11,
      panes: { separatorColor: colors.border, enableResize: true },
    },
    grid: { vertLines: { color: colors.grid }, horzLines: { color: colors.grid } },
    crosshair: { mode: CrosshairMode.Normal },
    rightPriceScale: { borderColor: colors.border },
    timeScale: { borderColor: colors.border },
  });
}
