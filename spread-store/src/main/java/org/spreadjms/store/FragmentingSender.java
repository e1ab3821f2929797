package org.spreadjms.store;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadException;
import org.spreadjms.jms.provider.Fragment;

/**
 * Multicasts what a store member sends back out (re-published and forwarded messages, browse pages, state chunks) as
 * one Spread message when it fits, else as spread-jms {@link Fragment}s of at most one Spread message each, in
 * order, with the same service type: the form a JMS connection ({@code FragmentingProvider}) and another store
 * member ({@link IncomingFragments}) put together. Safe for several threads; the fragments of one message are sent
 * in order by the calling thread, so each message completes at its receivers in the order its thread sent it.
 *
 * <p>Fragment keys must be unique per connection for as long as a receiver may hold a partial message. Several
 * senders on one connection (each part of a member has its own) start at independent random points of the 64-bit
 * key space, so their keys do not meet.
 */
final class FragmentingSender {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SpreadConnection connection;
    private final AtomicLong keys = new AtomicLong(RANDOM.nextLong() & 0xFFFF_FFFF_0000_0000L);

    FragmentingSender(SpreadConnection connection) {
        this.connection = connection;
    }

    /** Multicasts {@code data} (a whole message of type {@code messType}) to {@code group}. */
    void multicast(ServiceType service, String group, short messType, byte[] data) throws SpreadException {
        int max = connection.limits().maxDataBytes(1);
        if (data.length <= max) {
            connection.multicast(service, group, messType, data);
            return;
        }
        Fragment.split(messType, keys.incrementAndGet(), data, data.length, max,
                frame -> connection.multicast(service, group, Fragment.MESS_TYPE, frame));
    }
}
