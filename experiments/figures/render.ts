/**
 * Rendering without a browser or canvas: vega-lite compiles a spec to Vega, vega renders it to SVG in
 * Node (renderer 'none', text measured by estimate), and @resvg/resvg-js rasterises the SVG to PNG with
 * a system font (DejaVu/Liberation, searched at the usual paths; without one the PNG has no text).
 */
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf',
  '/System/Library/Fonts/Supplemental/Arial.ttf',
  'C:\\Windows\\Fonts\\arial.ttf',
];

let warned = false;
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
  const fontFiles = FONT_CANDIDATES.filter((f) => existsSync(f));
  if (!fontFiles.length && !warned) {
    warned = true;
    process.stderr.write('schedlab: no DejaVu/Liberation font found; PNG figures may lack text (install fonts-dejavu-core)\n');
  }
  const family = fontFiles[0]?.includes('Liberation') ? 'Liberation Sans' : fontFiles[0]?.includes('Arial') ? 'Arial' : 'DejaVu Sans';
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: true, fontFiles, defaultFontFamily: family, sansSerifFamily: family },
  });
  return resvg.render().asPng();
}
