package org.spreadjms.jms;

/**
 * The settings of delivery inside a session, taken from {@link SpreadJmsSettings} once per connection.
 *
 * @param bufferMessages  messages a consumer buffers before the oldest are dropped
 * @param bufferBytes     and bytes (never below maxMessageBytes)
 * @param directDispatch  a lone AUTO/DUPS_OK session may run its listener on the dispatcher thread
 *                        ({@code alwaysSessionAsync=false}; not with {@code queueNoConsumerPolicy=fail} nor with
 *                        {@code storeAcks}: a send from such a listener would wait for what only the dispatcher
 *                        thread can deliver)
 * @param maxRedeliveries redeliveries before a message is given up on; -1 for no limit
 */
record DeliverySettings(int bufferMessages, long bufferBytes, boolean directDispatch, int maxRedeliveries) {

    static DeliverySettings of(SpreadJmsSettings s) {
        return new DeliverySettings(s.getConsumerBufferMessages(), s.effectiveConsumerBufferBytes(),
                !s.isAlwaysSessionAsync() && !s.failWithoutQueueConsumer() && s.getStoreAcks() == 0,
                s.getMaxRedeliveries());
    }

    /** Whether {@code deliveries} so far (at least 1) leave no redelivery. */
    boolean exhausted(int deliveries) {
        return maxRedeliveries >= 0 && Math.max(1, deliveries) > maxRedeliveries;
    }
}
