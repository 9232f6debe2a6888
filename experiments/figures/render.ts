/**
 * Rendering without a browser or canvas: vega-lite compiles a spec to Vega, vega renders it to SVG in
 * Node (renderer 'none', text measured by estimate), and @resvg/resvg-js rasterises the SVG to PNG with
 * the DejaVu Sans font shipped by the `dejavu-fonts-ttf` package. System fonts are not consulted, so a PNG
 * is the same on every machine and needs nothing installed beyond `npm install`.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

const fontDir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => join(fontDir, f));

// vega-lite warns about layered facets with independent scales, which these figures use on purpose.
const quiet = vega.logger(vega.Error);

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec, { logger: quiet }).spec), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export function svgToPng(svg: string): Uint8Array {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
