import type { Builder } from './node.js';
import { buildAll, buildFilter, buildMap, buildMerge, buildNone, buildReduce, buildSome } from './ops-array.js';
import { buildMissing, buildMissingSome, buildVar } from './ops-data.js';
import {
  buildAnd,
  buildEq,
  buildGt,
  buildGte,
  buildIf,
  buildLt,
  buildLte,
  buildNot,
  buildNotEq,
  buildOr,
  buildStrictEq,
  buildStrictNotEq,
  buildTruthy,
} from './ops-logic.js';
import { buildAdd, buildDivide, buildMax, buildMin, buildModulo, buildMultiply, buildSubtract } from './ops-math.js';
import { buildCat, buildIn, buildLog, buildSubstr } from './ops-string.js';

/** Every standard JSON Logic operation (https://jsonlogic.com/operations.html). */
const STANDARD: Readonly<Record<string, Builder>> = {
  var: buildVar,
  missing: buildMissing,
  missing_some: buildMissingSome,
  if: buildIf,
  '?:': buildIf,
  '==': buildEq,
  '===': buildStrictEq,
  '!=': buildNotEq,
  '!==': buildStrictNotEq,
  '!': buildNot,
  '!!': buildTruthy,
  or: buildOr,
  and: buildAnd,
  '>': buildGt,
  '>=': buildGte,
  '<': buildLt,
  '<=': buildLte,
  max: buildMax,
  min: buildMin,
  '+': buildAdd,
  '-': buildSubtract,
  '*': buildMultiply,
  '/': buildDivide,
  '%': buildModulo,
  map: buildMap,
  filter: buildFilter,
  reduce: buildReduce,
  all: buildAll,
  none: buildNone,
  some: buildSome,
  merge: buildMerge,
  in: buildIn,
  cat: buildCat,
  substr: buildSubstr,
  log: buildLog,
};

/** The builder of a standard operator; own keys only, so "toString" or "__proto__" are not operators. */
export function standardOperator(name: string): Builder | undefined {
  return Object.prototype.hasOwnProperty.call(STANDARD, name) ? STANDARD[name] : undefined;
}
