export { ErpNextClient } from './client.js';
export {
  DEFAULT_MAX_CONCURRENT_REQUESTS,
  DEFAULT_TIMEOUT_MS,
  type EngineCall,
  type ErpNextClientOptions,
} from './options.js';
export { decodeEngineError, decodeServerMessages, retryAfterMsOf, type ErrorResponse } from './decode-error.js';
