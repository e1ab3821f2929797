package org.spreadjms.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.jms.store.StoreControlCodec;
import org.spreadjms.jms.store.StoreFrame;
import org.spreadjms.jms.store.StoredMessage;
import org.spreadjms.store.log.LogPosition;
import org.spreadjms.store.log.MessageLog;

/**
 * Sends this member's state, as it was at the cut (the position of the joiner's STATE_REQUEST in the ordered
 * stream), to a joiner: STATE_CHUNKs of stored messages with sequence up to the cut, page by page from the log, then
 * STATE_DONE with the cut's position. Runs on its own thread; stops early when the joiner leaves the control group.
 *
 * <p>Messages deleted after the cut may or may not be sent: the joiner gets those deletes from the live stream after
 * its request and applies them after the state, so either way it ends with what the donor has.
 */
final class StateDonor implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(StateDonor.class);
    /** Frame overhead allowance per chunk besides the stored payloads. */
    private static final int CHUNK_OVERHEAD = 4096;

    private final SpreadConnection connection;
    /** Sends a chunk larger than one Spread message (it holds a large message) in fragments. */
    private final FragmentingSender out;
    private final MessageLog log;
    private final String joiner;
    private final StoreFrame.StateRequest request;
    private final CompletableFuture<LogPosition> cut;
    private final Predicate<String> stillPresent;
    private final Duration timeout;

    StateDonor(SpreadConnection connection, MessageLog log, String joiner, StoreFrame.StateRequest request,
               CompletableFuture<LogPosition> cut, Predicate<String> stillPresent, Duration timeout) {
        this.connection = connection;
        this.out = new FragmentingSender(connection);
        this.log = log;
        this.joiner = joiner;
        this.request = request;
        this.cut = cut;
        this.stillPresent = stillPresent;
        this.timeout = timeout;
    }

    @Override
    public void run() {
        try {
            LogPosition at = cut.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            int maxBytes = Math.max(1024, connection.limits().maxDataBytes(1) / 2 - CHUNK_OVERHEAD);
            int chunks = 0;
            long messages = 0;
            Map<String, Long> last = new LinkedHashMap<>();
            // what was asked for, and every destination this member has (durable subscriptions the joiner may
            // not know yet)
            java.util.Set<String> all = new java.util.LinkedHashSet<>(request.destinations());
            all.addAll(log.destinations());
            for (String dest : all) {
                long upTo = at.lastSequence(dest);
                last.put(dest, upTo);
                long from = 1;
                while (from <= upTo) {
                    if (!stillPresent.test(joiner)) {
                        LOG.info("state transfer {} to {} stopped: the joiner left", request.requestId(), joiner);
                        return;
                    }
                    List<StoredMessage> page = new ArrayList<>();
                    for (StoredMessage m : log.read(dest, from, 1000, maxBytes)) {
                        if (m.sequence() <= upTo) {
                            page.add(m);
                        }
                    }
                    if (page.isEmpty()) {
                        break;
                    }
                    send(new StoreFrame.StateChunk(request.requestId(), chunks++, dest, page));
                    messages += page.size();
                    from = page.get(page.size() - 1).sequence() + 1;
                }
            }
            send(new StoreFrame.StateDone(request.requestId(), chunks, at.appliedIndex(), last));
            LOG.info("state transfer {} to {} sent: {} message(s) in {} chunk(s), applied index {}",
                    request.requestId(), joiner, messages, chunks, at.appliedIndex());
        } catch (Exception e) {
            // the joiner sees no STATE_DONE; it asks again when the view changes, or times out and reports it
            LOG.warn("state transfer {} to {} failed: {}", request.requestId(), joiner, e.toString());
        }
    }

    private void send(StoreFrame frame) throws Exception {
        // AGREED: ordered after the STATE_OFFER that made this member the donor, which the joiner saw first
        out.multicast(ServiceType.AGREED, joiner, StoreControlCodec.MESS_TYPE, StoreControlCodec.encode(frame));
    }
}
