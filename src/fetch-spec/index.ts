export { type FetchSpecErrorCode, FetchSpecError } from './errors.js';
export { OPAQUE_ORIGIN, originOf, isSameOrigin } from './origin.js';
export { type RequestMode, type RequestBodyKind, type RequestDescriptor } from './request.js';
export { type Header, type HeaderListInit, toHeaderList } from './header-list.js';
export {
  CORS_SAFELISTED_METHODS,
  type CorsSafelistedMethod,
  normalizeMethod,
  isCorsSafelistedMethod,
  isForbiddenMethod,
  toRequestMethod,
} from './method.js';
export {
  MAX_SAFELISTED_VALUE_BYTES,
  isCorsUnsafeRequestHeaderByte,
  corsSafelistViolation,
  isCorsSafelistedRequestHeader,
  isNoCorsSafelistedRequestHeader,
} from './header-safelist.js';
export { isForbiddenRequestHeader } from './forbidden-header.js';
export { isHttpToken } from './http-syntax.js';
export {
  MAX_SAFELISTED_TOTAL_BYTES,
  type CorsUnsafeHeaderAudit,
  auditCorsUnsafeHeaders,
  corsUnsafeRequestHeaderNames,
} from './cors-unsafe-names.js';
export type {
  MethodReason,
  StreamBodyReason,
  HeaderNameReason,
  AuthorizationReason,
  ValueTooLongReason,
  UnsafeByteReason,
  ContentTypeReason,
  RangeReason,
  SafelistedTotalReason,
  HeaderReason,
  PreflightReason,
} from './reasons.js';
export { type RequestExplanation, explainRequest } from './explain-request.js';
export {
  SIMPLE_CONTENT_TYPE,
  type SimpleRequestInput,
  type ContentTypeRetyped,
  type HeaderDropReason,
  type HeaderDropped,
  type BodyBuffered,
  type SimpleRequestChange,
  type SimpleRequest,
  toSimpleRequest,
} from './to-simple-request.js';
