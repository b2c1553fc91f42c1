// The one chart palette: Okabe & Ito's eight colours, chosen so that every
// pair stays distinguishable with the common colour-vision deficiencies
// (https://jfly.uni-koeln.de/color/). Use the named roles in charts; never
// pick ad-hoc colours in a page. Yellow is kept out of the series order: it
// is too light on a white background for thin lines.

export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const;

/** Series colours in order of use. */
export const SERIES_COLORS = [
  OKABE_ITO.blue,
  OKABE_ITO.orange,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.vermillion,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.skyBlue,
  OKABE_ITO.black,
] as const;

export function seriesColor(index: number): string {
  return SERIES_COLORS[((index % SERIES_COLORS.length) + SERIES_COLORS.length) % SERIES_COLORS.length]!;
}

/** Colours with a meaning, the same on every page. */
export const ROLE_COLORS = {
  spend: OKABE_ITO.vermillion,
  revenue: OKABE_ITO.bluishGreen,
  leads: OKABE_ITO.blue,
  cost: OKABE_ITO.orange,
  positive: OKABE_ITO.bluishGreen,
  negative: OKABE_ITO.vermillion,
  comparison: '#8a93a0',
} as const;
