import type { RouteHandlerObject } from 'workbox-core/types.js';
import type { OutcomeSink } from '../contract/outcome-sink.js';
import type { PolicyFactory } from '../contract/policy.js';
import { MemorySink } from '../outcome/memory-sink.js';
import type { CompiledRule } from '../rules/compiled-rule.js';
import { PolicyDispatcher } from './policy-dispatcher.js';

/** What `policyHandler` takes beside the policy. */
export interface PolicyHandlerSetup<Options> {
  /** The policy's options, as a rule would give them. */
  options?: NoInfer<Options>;
  /** Receives one Outcome per handled request; default: a MemorySink of the latest 1000. */
  sink?: OutcomeSink;
  /** Shown in outcomes; default the policy's name. */
  name?: string;
}

/**
 * A crossroute policy as a plain Workbox handler, for `registerRoute(match, handler)` beside the
 * app's other routes: it validates its options at once, fails open as a rule would, and records one
 * Outcome per request (with `ruleIndex` -1).
 */
export function policyHandler<Options>(policy: PolicyFactory<Options, unknown>, setup: PolicyHandlerSetup<Options> = {}): RouteHandlerObject {
  const sink = setup.sink ?? new MemorySink();
  const info = { index: -1, name: setup.name ?? policy.name };
  const config = policy.validate((setup.options ?? {}) as Options, `policyHandler(${policy.name}).options`);
  const rule: CompiledRule = { ...info, policyName: policy.name, policy: policy.create(config, { rule: info, sink }) };
  const dispatcher = new PolicyDispatcher(sink);
  return { handle: (options) => dispatcher.run(rule, options) };
}
