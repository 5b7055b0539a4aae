import { Transform, type TransformCallback } from 'node:stream';

/**
 * A request body on its way to the target: counts bytes and errors past `maxBytes` (the caller
 * may have declared no length, or a false one). Carries the declared length for the upstream hop.
 */
export class MeteredBody extends Transform {
  private bytes = 0;

  constructor(
    readonly declaredBytes: number | null,
    private readonly maxBytes: number,
    private readonly over: () => Error,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) callback(this.over());
    else callback(null, chunk);
  }
}
