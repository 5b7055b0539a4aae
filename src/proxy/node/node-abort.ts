import { EventEmitter } from 'node:events';
import type { ExchangeAbort } from '../core/exchange-abort.js';

/** The Node shell's exchange abort: an EventEmitter ('abort', then `reason`) its upstream calls and body pipe listen to. */
export class NodeAbort extends EventEmitter implements ExchangeAbort {
  aborted = false;
  reason: unknown = undefined;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}
