/** @module The AMQP deliverer: `notifier.amqp`. */
export { AMQP_DELIVERER_NAME, AmqpDeliverer, type AmqpDelivererOptions } from './deliverer.js';
