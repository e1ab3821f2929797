package org.spreadjms.jms;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Enumeration;
import java.util.List;
import java.util.NoSuchElementException;

import jakarta.jms.JMSException;
import jakarta.jms.Message;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.ServiceType;
import org.spreadjms.jms.message.Expiry;
import org.spreadjms.jms.message.MessageEnvelope;
import org.spreadjms.jms.message.MessageSelector;
import org.spreadjms.jms.message.ObjectMessageFilter;
import org.spreadjms.jms.message.SpreadMessage;
import org.spreadjms.jms.store.PersistentMessages;
import org.spreadjms.jms.store.StoreFrame;
import org.spreadjms.jms.store.StoredMessage;

/**
 * A QueueBrowser's view of a named queue's stored messages (docs/store-protocol.md, "Browsing"): pages of
 * {@value #PAGE} messages asked of the store members with BROWSE frames as the enumeration advances, so a long queue
 * is never held whole. Messages that are expired or do not match the selector are skipped. Without any answer the
 * queue browses as empty (without a store nothing is kept), except with {@code storeAcks} set, where the store is
 * expected and its silence is an error.
 */
final class StoredQueuePages implements Enumeration<Message> {
    private static final Logger LOG = LoggerFactory.getLogger(StoredQueuePages.class);
    static final int PAGE = 200;
    /** How long a browse waits for a store member when the connection does not use the store (storeAcks 0). */
    private static final Duration WITHOUT_STORE_ACKS = Duration.ofSeconds(2);

    private final SessionContext ctx;
    private final String group;
    private final String queue;
    private final MessageSelector selector;
    private final ObjectMessageFilter objects;
    private final ArrayDeque<SpreadMessage> ready = new ArrayDeque<>();
    private long next = 1;

    private StoredQueuePages(SessionContext ctx, String group, String queue, MessageSelector selector) {
        this.ctx = ctx;
        this.group = group;
        this.queue = queue;
        this.selector = selector;
        this.objects = ObjectMessageFilter.of(ctx.settings().getDeserializationAllowlist());
    }

    /** Reads the first page now, so that a store that does not answer is reported here. */
    static StoredQueuePages open(SessionContext ctx, String group, String queue, MessageSelector selector)
            throws JMSException {
        StoredQueuePages pages = new StoredQueuePages(ctx, group, queue, selector);
        pages.fill();
        return pages;
    }

    @Override
    public boolean hasMoreElements() {
        if (ready.isEmpty() && next > 0) {
            try {
                fill();
            } catch (JMSException e) {
                LOG.warn("browsing {}: {}; the enumeration ends here", queue, e.getMessage());
                next = 0;
            }
        }
        return !ready.isEmpty();
    }

    @Override
    public Message nextElement() {
        if (!hasMoreElements()) {
            throw new NoSuchElementException("no more messages in " + queue);
        }
        return ready.poll();
    }

    /** Asks for pages until one yields a message to show or there is none left. */
    private void fill() throws JMSException {
        while (ready.isEmpty() && next > 0) {
            StoreFrame.Browsed page = ask(next);
            if (page == null) {
                next = 0;
                return;
            }
            for (StoredMessage m : page.messages()) {
                SpreadMessage decoded = decode(m);
                if (decoded != null && !Expiry.expired(decoded) && (selector == null || selector.matches(decoded))) {
                    ready.add(decoded);
                }
            }
            next = page.nextSequence();
        }
    }

    private StoreFrame.Browsed ask(long from) throws JMSException {
        boolean expected = ctx.send().storeAcks() != 0;
        Duration timeout = expected ? ctx.send().storeTimeout() : WITHOUT_STORE_ACKS;
        String requester = ctx.provider().privateGroup();
        List<StoreFrame> answers = StoreRequest.ask(ctx, id -> new StoreFrame.Browse(id, group, requester, from,
                PAGE), ServiceType.AGREED, true, timeout, "browse " + queue).answers();
        if (answers.isEmpty()) {
            if (expected) {
                throw new JMSException("no store member answered within " + timeout.toMillis() + " ms when"
                        + " browsing " + queue + " (storeAcks is set; is a store member (spread store) running with"
                        + " control group '" + ctx.send().storeGroup() + "'?)");
            }
            LOG.debug("no store member answered a browse of {} within {} ms: browsing it as empty", queue,
                    timeout.toMillis());
            return null;
        }
        return (StoreFrame.Browsed) answers.get(0);
    }

    private SpreadMessage decode(StoredMessage m) {
        if (m.messType() != PersistentMessages.JMS_ENVELOPE) {
            return null;
        }
        try {
            SpreadMessage msg = MessageEnvelope.decode(m.payload(), objects).message();
            msg.setReadOnly(true, true);
            return msg;
        } catch (JMSException | RuntimeException e) {
            LOG.warn("browsing {}: skipped stored message {} that does not decode: {}", queue, m.key().id(),
                    e.getMessage());
            return null;
        }
    }
}
