package org.spreadjms.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.jms.store.StoreControlCodec;
import org.spreadjms.jms.store.StoreFrame;
import org.spreadjms.jms.store.StoredMessage;
import org.spreadjms.store.log.MessageLog;

/**
 * Answers BROWSE requests (a JMS QueueBrowser reading a queue's stored messages; docs/store-protocol.md): the first
 * member of the control view, if it serves, reads one page of the destination from its log once everything applied
 * before the request is written, and sends it to the requester in a BROWSED frame. Nothing is deleted. A page holds
 * at most the messages asked for (at most {@link #MAX_PAGE}) and about half a Spread message of payload.
 */
final class BrowseServer {
    private static final Logger LOG = LoggerFactory.getLogger(BrowseServer.class);
    static final int MAX_PAGE = 1000;
    private static final int FRAME_OVERHEAD = 4096;

    private final SpreadConnection connection;
    /** Sends a page larger than one Spread message (it holds a large message) in fragments. */
    private final FragmentingSender out;
    private final MessageLog log;
    private final ReplicaProtocol protocol;
    private final Executor readers;

    BrowseServer(SpreadConnection connection, MessageLog log, ReplicaProtocol protocol, Executor readers) {
        this.connection = connection;
        this.out = new FragmentingSender(connection);
        this.log = log;
        this.protocol = protocol;
        this.readers = readers;
    }

    /** A BROWSE delivered in the control group (dispatcher thread). */
    void onBrowse(StoreFrame.Browse b, boolean stored) {
        if (!protocol.isServing() || !protocol.firstInControlView()) {
            return;
        }
        if (!stored) {
            // nothing is kept for it here: an empty answer, at once
            readers.execute(() -> answer(b, new StoreFrame.Browsed(b.requestId(), b.destination(), 0, List.of())));
            return;
        }
        log.barrier().thenRunAsync(() -> answer(b, page(b)), readers);
    }

    private StoreFrame.Browsed page(StoreFrame.Browse b) {
        try {
            int budget = Math.max(1024, connection.limits().maxDataBytes(1) / 2 - FRAME_OVERHEAD);
            int max = Math.max(1, Math.min(MAX_PAGE, b.maxMessages()));
            List<StoredMessage> read = log.read(b.destination(), Math.max(1, b.fromSequence()), max, budget);
            List<StoredMessage> page = new ArrayList<>();
            long bytes = 0;
            for (StoredMessage m : read) {
                bytes += m.payload().length + 64;
                if (!page.isEmpty() && bytes > budget) {
                    break;
                }
                page.add(m);
            }
            long last = page.isEmpty() ? 0 : page.get(page.size() - 1).sequence();
            long next = !page.isEmpty() && last < log.lastSequence(b.destination()) ? last + 1 : 0;
            return new StoreFrame.Browsed(b.requestId(), b.destination(), next, page);
        } catch (Exception e) {
            LOG.warn("{}: could not read {} for a browser: {}", connection.privateGroup(), b.destination(),
                    e.toString());
            return null;
        }
    }

    private void answer(StoreFrame.Browse b, StoreFrame.Browsed page) {
        if (page == null) {
            return; // the browser times out and says so
        }
        try {
            out.multicast(ServiceType.FIFO, b.requester(), StoreControlCodec.MESS_TYPE,
                    StoreControlCodec.encode(page));
        } catch (Exception e) {
            LOG.warn("{}: could not answer a browser {}: {}", connection.privateGroup(), b.requester(), e.toString());
        }
    }
}
