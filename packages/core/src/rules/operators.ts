import type { Builder } from './node.js';
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
import { buildIn } from './ops-string.js';

/**
 * The builder of a standard JSON Logic operation on the critical path (data, logic, comparisons,
 * `in`), or undefined; the others are in extra-operators.ts, a part of its own for bundles. A
 * switch rather than a lookup object: no prototype keys ("toString", "__proto__") can pass for
 * operators, and nothing is allocated at module load.
 */
export function coreOperator(name: string): Builder | undefined {
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
    case 'in': return buildIn;
    default: return undefined;
  }
}
