package org.spreadjms.jms;

import java.time.Duration;

import org.spreadjms.client.ServiceType;

/**
 * The settings every send reads, taken from {@link SpreadJmsSettings} once per connection (the send path reads
 * fields, not the option table).
 *
 * @param failWithoutQueueConsumer {@code queueNoConsumerPolicy=fail}
 * @param persistentServiceType    service type of PERSISTENT messages
 * @param nonPersistentServiceType service type of NON_PERSISTENT messages
 * @param storeAcks                store members a PERSISTENT queue send waits for (0: none;
 *                                 {@link SpreadJmsSettings#STORE_ACKS_ALL}: all)
 * @param storeTimeout             how long it waits for them
 * @param storeGroup               the store members' control group
 */
record SendSettings(boolean failWithoutQueueConsumer, ServiceType persistentServiceType,
                    ServiceType nonPersistentServiceType, int storeAcks, Duration storeTimeout, String storeGroup) {

    static SendSettings of(SpreadJmsSettings s) {
        return new SendSettings(s.failWithoutQueueConsumer(), s.getPersistentServiceType(),
                s.getNonPersistentServiceType(), s.getStoreAcks(), s.getStoreTimeout(),
                s.getStoreGroup());
    }

    ServiceType serviceType(boolean persistent) {
        return persistent ? persistentServiceType : nonPersistentServiceType;
    }
}
