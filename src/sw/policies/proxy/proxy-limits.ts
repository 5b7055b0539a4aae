/** What crossroute's proxy declares about one answer (`x-crossroute-limits`), in the units the worker measures. */
export interface ProxyLimits {
  /** options.maxResponseBytes: past it the proxy cuts the body, after exactly this many bytes. */
  bytes: number;
  /** options.timeoutSeconds, in ms: the longest pause the proxy waits for inside the target's body. */
  pauseMs: number;
  /** What was left of options.deadlineSeconds when the proxy sent the headers, in ms. */
  deadlineMs: number;
}

/** Parses `bytes=N, pause=S, deadline=S`; undefined if the header is absent or not that (a proxy older than the worker). */
export function readLimits(value: string | null): ProxyLimits | undefined {
  const fields = new Map((value ?? '').split(',').map((field): [string, string] => {
    const [name = '', number = ''] = field.trim().split('=');
    return [name, number];
  }));
  const read = (name: string): number => (fields.get(name) ? Number(fields.get(name)) : NaN);
  const [bytes, pause, deadline] = [read('bytes'), read('pause'), read('deadline')];
  if (!(bytes >= 0 && pause > 0 && deadline >= 0)) return undefined;
  return { bytes, pauseMs: pause * 1000, deadlineMs: deadline * 1000 };
}
