import type { DeliveryQueue } from "../durable/delivery-queue";
import type { DeliveryQueues } from "../services/oidc/logout";

/** The per-client `DeliveryQueue` Durable Objects behind the `DeliveryQueues` port. */
export function deliveryQueues(namespace: DurableObjectNamespace<DeliveryQueue>): DeliveryQueues {
  return {
    enqueue: (clientId, delivery) => namespace.get(namespace.idFromName(`client:${clientId}`)).enqueue(delivery),
  };
}
