import type { Policy } from '../contract/policy.js';
import type { PathTest } from './path-pattern.js';

/** A validated rule, ready to test against a request without re-parsing anything. */
export interface CompiledRule {
  /** Position in the rules given to setupCrossroute. */
  index: number;
  /** The rule's name, or `rule N`. */
  name: string;
  /** Name of the rule's policy. */
  policyName: string;
  /** The policy built for this rule. */
  policy: Policy;
  /** Tests applied after the origin index has narrowed the candidates; absent = any. */
  paths?: PathTest[];
  /** Methods matched; absent = any. */
  methods?: ReadonlySet<string>;
  /** Destinations matched; absent = any. */
  destinations?: ReadonlySet<string>;
  /** Modes matched; absent = any. */
  modes?: ReadonlySet<string>;
  /** Cross-origin requests only (true) or same-origin only (false); absent = both. */
  crossOrigin?: boolean;
}
