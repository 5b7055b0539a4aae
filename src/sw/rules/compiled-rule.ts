import type { Policy } from '../contract/policy.js';
import type { PathTest } from './path-pattern.js';

/** A validated rule, ready to test against a request without re-parsing anything. */
export interface CompiledRule {
  index: number;
  name: string;
  policyName: string;
  policy: Policy;
  /** Tests applied after the origin index has narrowed the candidates; absent = any. */
  paths?: PathTest[];
  methods?: ReadonlySet<string>;
  destinations?: ReadonlySet<string>;
  modes?: ReadonlySet<string>;
  crossOrigin?: boolean;
}
