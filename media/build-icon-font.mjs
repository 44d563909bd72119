// Builds media/concur-icons.woff: the Concur glyph as an icon font, so that the status bar (which
// takes only font icons, `$(concur-logo)`) can show it. Run `npm run icons` after changing the glyph.
import { writeFileSync } from 'node:fs';
import svg2ttf from 'svg2ttf';
import svgpath from 'svgpath';
import ttf2woff from 'ttf2woff';

// The glyph on a 24×24 grid (y down), filled shapes only: a "C" ring and a key through its opening.
// Filled regions run counter-clockwise on screen, holes clockwise, so that they cut out.
const rad = (deg) => (deg * Math.PI) / 180;
const at = (cx, cy, r, deg) => `${(cx + r * Math.cos(rad(deg))).toFixed(3)} ${(cy + r * Math.sin(rad(deg))).toFixed(3)}`;
const ring = ({ cx, cy, R, r, open }) =>
  `M${at(cx, cy, R, -open)} A${R} ${R} 0 1 0 ${at(cx, cy, R, open)} L${at(cx, cy, r, open)} A${r} ${r} 0 1 1 ${at(cx, cy, r, -open)} Z`;
const disc = (cx, cy, r, clockwise) =>
  `M${cx + r} ${cy} A${r} ${r} 0 1 ${clockwise ? 1 : 0} ${cx - r} ${cy} A${r} ${r} 0 1 ${clockwise ? 1 : 0} ${cx + r} ${cy} Z`;
const rect = (x1, y1, x2, y2) => `M${x1} ${y1} L${x1} ${y2} L${x2} ${y2} L${x2} ${y1} Z`;

const glyph24 = [
  ring({ cx: 11.5, cy: 12, R: 10, r: 7.6, open: 38 }),
  disc(10.6, 12, 3.1, false),
  disc(10.6, 12, 1.4, true),
  rect(13.2, 11.05, 21.6, 12.95),
  rect(17.4, 12.9, 18.9, 15.6),
  rect(20.1, 12.9, 21.6, 14.8),
].join(' ');

const EM = 1000;
// Arcs become curves before the flip to font coordinates (y up), which would otherwise turn their sweep.
const d = svgpath(glyph24).unarc().scale(EM / 24, -EM / 24).translate(0, EM * 0.85).toString();
const svgFont = `<svg xmlns="http://www.w3.org/2000/svg"><defs><font id="concur-icons" horiz-adv-x="${EM}">
<font-face font-family="concur-icons" units-per-em="${EM}" ascent="${EM * 0.85}" descent="${-EM * 0.15}"/>
<missing-glyph horiz-adv-x="0"/>
<glyph glyph-name="concur-logo" unicode="&#xE001;" horiz-adv-x="${EM}" d="${d}"/>
</font></defs></svg>`;

// A fixed timestamp keeps the font byte-for-byte the same on every build.
const ttf = svg2ttf(svgFont, { ts: 0, version: '1.0' });
const woff = ttf2woff(new Uint8Array(ttf.buffer));
writeFileSync(new URL('./concur-icons.woff', import.meta.url), Buffer.from(woff.buffer));
writeFileSync(new URL('./concur-glyph.svg', import.meta.url), `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="${glyph24}"/></svg>\n`);
console.log('media/concur-icons.woff written');
