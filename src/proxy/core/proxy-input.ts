/** The parts of an incoming request the proxy decides on; each runtime shell reads them from its own request type. */
export interface ProxyInput {
  method: string;
  /** The `url` query parameter, percent-decoded; null when absent. */
  target: string | null;
  /** The `diagnose` query parameter is present: run the CORS doctor against the target instead of proxying it. */
  diagnose: boolean;
  /** The `exchange` query parameter: asks how an earlier exchange's cut body ended; null when absent. */
  exchange: string | null;
  /** A header's value by lower-case name; null when absent. */
  header(name: string): string | null;
  /** Every header as [lower-case name, value]. */
  headers(): Iterable<[string, string]>;
  /** The request body: none (no length above 0, no chunked framing), unread, or already read by something before the proxy (a body parser). */
  body(): 'none' | 'unread' | 'read';
}

/** Header fields as [lower-case name, value] pairs, in order; a name may repeat. */
export type HeaderPairs = Array<[string, string]>;
