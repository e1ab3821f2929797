package org.spreadjms.jms;

import java.time.Duration;
import java.util.List;
import java.util.function.LongFunction;

import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;

import org.spreadjms.client.ServiceType;
import org.spreadjms.jms.errors.JmsErrors;
import org.spreadjms.jms.store.StoreControlCodec;
import org.spreadjms.jms.store.StoreFrame;
import org.spreadjms.jms.store.StoreReplies;

/**
 * One request to the store members (SUBSCRIBE, UNSUBSCRIBE, BROWSE): registered before it is multicast to the
 * store's control group ({@code storeGroup}), so no answer is missed, then a bounded wait for the answers.
 *
 * @param answers      what arrived (possibly nothing)
 * @param complete     whether every store member that had to answer did
 * @param storeMembers the store members in view, as the answers reported it (0 without answer)
 */
record StoreRequest(List<StoreFrame> answers, boolean complete, int storeMembers) {

    /**
     * Sends the frame {@code frame} builds from the request id and waits at most {@code timeout}: for every store
     * member in view, or for the first answer with {@code firstSuffices}.
     *
     * @param what for errors, e.g. "browse queue://orders"
     */
    static StoreRequest ask(SessionContext ctx, LongFunction<StoreFrame> frame, ServiceType service,
                            boolean firstSuffices, Duration timeout, String what) throws JMSException {
        StoreReplies.Request r = ctx.consumers().routing().storeReceipts().replies().expect(firstSuffices);
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
}
