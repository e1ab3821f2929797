package org.spreadjms.jms;

import java.time.Duration;
import java.util.List;
import java.util.function.LongFunction;

import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.ServiceType;
import org.spreadjms.jms.errors.JmsErrors;
import org.spreadjms.jms.store.StoreControlCodec;
import org.spreadjms.jms.store.StoreFrame;
import org.spreadjms.jms.store.StoreMembers;
import org.spreadjms.jms.store.StoreReplies;

/**
 * One request to the store members (SUBSCRIBE, UNSUBSCRIBE, BROWSE): registered before it is multicast to the
 * store's control group ({@code storeGroup}), so no answer is missed, then a bounded wait for the answers. A store
 * member that leaves the store's presence group during the wait is no longer waited for.
 *
 * @param answers      what arrived (possibly nothing)
 * @param complete     whether every store member that had to answer did
 * @param storeMembers the store members in view, as the answers reported it (0 without answer)
 */
record StoreRequest(List<StoreFrame> answers, boolean complete, int storeMembers) {
    private static final Logger LOG = LoggerFactory.getLogger(StoreRequest.class);

    /**
     * Sends the frame {@code frame} builds from the request id and waits at most {@code timeout}: for every store
     * member in view, or for the first answer with {@code firstSuffices}.
     *
     * @param what for errors, e.g. "browse queue://orders"
     */
    static StoreRequest ask(SessionContext ctx, LongFunction<StoreFrame> frame, ServiceType service,
                            boolean firstSuffices, Duration timeout, String what) throws JMSException {
        StoreReplies.Request r = ctx.consumers().routing().storeReceipts().replies().expect(firstSuffices,
                firstSuffices ? null : watchedPresence(ctx));
        try {
            StoreFrame f = frame.apply(r.id());
            ctx.provider().send(List.of(ctx.send().storeGroup()), service, StoreControlCodec.MESS_TYPE,
                    StoreControlCodec.encode(f));
        } catch (IllegalArgumentException e) {
            r.cancel();
            throw JmsErrors.withCause(new InvalidDestinationException("cannot " + what + ": " + e.getMessage()), e);
        } catch (JMSException | RuntimeException e) {
            r.cancel();
            throw e;
        }
        try {
            List<StoreFrame> answers = r.await(timeout);
            return new StoreRequest(answers, r.isComplete(), r.storeMembers());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JmsErrors.jms("interrupted while waiting for the store members to " + what, e);
        }
    }

    /**
     * The store's presence group, joined if need be, so that a store member that leaves it during the request is
     * no longer waited for; null (wait for every store member the answers count) if it cannot be watched.
     */
    private static String watchedPresence(SessionContext ctx) {
        String presence = StoreMembers.presenceGroupOf(ctx.send().storeGroup());
        try {
            ctx.consumers().routing().storePresence().storeMembers(presence);
            return presence;
        } catch (JMSException e) {
            LOG.debug("not watching the store's presence group {}: {}", presence, e.getMessage());
            return null;
        }
    }
}
