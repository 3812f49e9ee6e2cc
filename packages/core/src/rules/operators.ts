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

/**
 * The builder of a standard JSON Logic operation (https://jsonlogic.com/operations.html), or
 * undefined. A switch rather than a lookup object: no prototype keys ("toString", "__proto__")
 * can pass for operators, and nothing is allocated at module load.
 */
export function standardOperator(name: string): Builder | undefined {
  switch (name) {
    case 'var': return buildVar;
    case 'missing': return buildMissing;
    case 'missing_some': return buildMissingSome;
    case 'if':
    case '?:': return buildIf;
    case '==': return buildEq;
    case '===': return buildStrictEq;
    case '!=': return buildNotEq;
    case '!==': return buildStrictNotEq;
    case '!': return buildNot;
    case '!!': return buildTruthy;
    case 'or': return buildOr;
    case 'and': return buildAnd;
    case '>': return buildGt;
    case '>=': return buildGte;
    case '<': return buildLt;
    case '<=': return buildLte;
    case 'max': return buildMax;
    case 'min': return buildMin;
    case '+': return buildAdd;
    case '-': return buildSubtract;
    case '*': return buildMultiply;
    case '/': return buildDivide;
    case '%': return buildModulo;
    case 'map': return buildMap;
    case 'filter': return buildFilter;
    case 'reduce': return buildReduce;
    case 'all': return buildAll;
    case 'none': return buildNone;
    case 'some': return buildSome;
    case 'merge': return buildMerge;
    case 'in': return buildIn;
    case 'cat': return buildCat;
    case 'substr': return buildSubstr;
    case 'log': return buildLog;
    default: return undefined;
  }
}
