/** @module The STOMP deliverer: `notifier.stomp`. */
export { DEFAULT_TIMEOUT_MS, STOMP_DELIVERER_NAME, StompDeliverer, type StompDelivererOptions } from './deliverer.js';
