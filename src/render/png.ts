/**
 * SVG to PNG with resvg, drawing text only with the DejaVu fonts shipped in
 * the `dejavu-fonts-ttf` package (system fonts are never loaded), so the PNG
 * bytes are the same on every machine.
 */
import { createRequire } from 'node:module';
import type { ResvgRenderOptions } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);

/** The bundled font files: DejaVu Sans regular and bold. */
export const PNG_FONT_FILES: readonly string[] = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => require.resolve(`dejavu-fonts-ttf/ttf/${f}`));

export interface PngOptions {
  /** Output width in px; the height follows the SVG's aspect ratio. Default: the SVG's own width. */
  width?: number;
  /** Background colour behind transparent areas (default: none; the light/dark charts draw their own). */
  background?: string;
}

function renderOptions(options: PngOptions): ResvgRenderOptions {
  return {
    fitTo: options.width === undefined ? { mode: 'original' } : { mode: 'width', value: Math.round(options.width) },
    ...(options.background === undefined ? {} : { background: options.background }),
    font: {
      loadSystemFonts: false,
      fontFiles: [...PNG_FONT_FILES],
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
      serifFamily: 'DejaVu Sans',
      monospaceFamily: 'DejaVu Sans',
      cursiveFamily: 'DejaVu Sans',
      fantasyFamily: 'DejaVu Sans',
    },
    logLevel: 'off',
  };
}

type ResvgModule = typeof import('@resvg/resvg-js');
let resvg: ResvgModule | null = null;

/** Renders `svg` to PNG bytes. Every font family falls back to DejaVu Sans. */
export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  // Loaded on first use: the data pipeline, which bundles this module with the command line, never renders.
  resvg ??= require('@resvg/resvg-js') as ResvgModule;
  return new resvg.Resvg(svg, renderOptions(options)).render().asPng();
}
