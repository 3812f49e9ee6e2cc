// How the report's numbers are written, the same in the terminal table and the HTML page ('—'
// for a number there is none of).
const missing = (value) => value === null || value === undefined;

export const percent = (value, digits = 2) => (missing(value) ? '—' : `${(value * 100).toFixed(digits)}%`);
export const signedPercent = (value) => (missing(value) ? '—' : `${value >= 0 ? '+' : ''}${(value * 100).toFixed(2)}%`);
export const money = (value) => (missing(value) ? '—' : value.toFixed(2));
export const pValue = (value) => (missing(value) ? '—' : value < 0.0001 ? '<0.0001' : value.toFixed(4));
