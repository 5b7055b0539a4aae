import type { PolicyFactory } from '../contract/policy.js';
import type { PathCase } from './resource-key.js';

/**
 * The methods Workbox's Router can route (its HTTPMethod). A worker sees others too (OPTIONS, PURGE,
 * a lowercase `patch`…): crossroute answers those from its own fetch listener.
 */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** A method a rule can match. */
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** One value, or a list of which any may match. */
export type OneOrMany<T> = T | readonly T[];

/** Which requests a rule applies to. Every given field must match; an absent field matches anything. */
export interface RuleMatch {
  /**
   * Target origin(s): `https://api.example.com`, `http://127.0.0.1:8080`, or `https://*.example.com`
   * (any subdomain of example.com, not example.com itself). Default ports may be omitted.
   */
  origin?: OneOrMany<string>;
  /**
   * Path pattern(s) on the target: `/collect`, `/assets/*` (one segment), `/api/**` (any depth),
   * tested against the canonical path (see resourceKey: `/%61dmin//x;p` is `/admin/x`).
   */
  path?: OneOrMany<string>;
  /** `insensitive`: paths compare with ASCII case folded (`/ADMIN/` is `/admin/`). Default `sensitive`. */
  pathCase?: PathCase;
  /**
   * Any HTTP token, normalized as fetch() normalizes a request's method: `get` is `GET`, but `patch`
   * stays `patch` (only DELETE, GET, HEAD, OPTIONS, POST and PUT are upper-cased). Absent: every method.
   */
  method?: OneOrMany<HttpMethod | (string & {})>;
  /** Request destination(s) (`image`, `font`, `script`, `style`, … or `''` for fetch()/XHR). */
  destination?: OneOrMany<RequestDestination>;
  /** Request mode(s): `cors`, `no-cors`, `same-origin`, `navigate`. */
  mode?: OneOrMany<RequestMode>;
  /** true: only requests to other origins than the service worker's; false: only its own. */
  crossOrigin?: boolean;
}

/**
 * One routing rule: a match and the policy that handles what it matches. The policy is the imported
 * value (`policy: cors`), and it decides the type of `options`, so a misspelt option is a type error
 * before it is a runtime one.
 */
export interface Rule<Options = any> {
  /** Which requests the rule applies to. */
  match: RuleMatch;
  /** The policy that handles them: an imported policy value such as `cors`. */
  policy: PolicyFactory<Options, unknown>;
  // NoInfer: the options type comes from the policy alone, so a wrong option is named as wrong.
  /** The policy's options; checked at setup. */
  options?: NoInfer<Options>;
  /** Shown in outcomes and errors; defaults to `rule N`. */
  name?: string;
}

/** A list of rules, each typed by its own policy (`setupCrossroute` infers them one by one). */
export type Rules<OptionsList extends readonly unknown[]> = { readonly [K in keyof OptionsList]: Rule<OptionsList[K]> };
