package org.spreadjms.jms.queue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.membership.GroupView;
import org.spreadjms.jms.provider.Provider;

/**
 * The queue protocols of one connection, one per named-queue or shared-subscription group it is a member of, and the
 * groups it only observes ({@code queueNoConsumerPolicy=fail}). Joining and leaving the groups is the caller's job;
 * this class keeps the protocol state and routes control messages and views to it. No method blocks on the network
 * while holding a lock.
 */
public final class QueueProtocols {
    /** Unacknowledged messages each member holds per queue for redelivery (see docs/queue-protocol.md). */
    public static final int HELD_MESSAGES = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(QueueProtocols.class);

    private final Provider provider;
    private final ScheduledExecutorService timer;
    private final int maxHeld;
    private final Map<String, QueueProtocol> byGroup = new ConcurrentHashMap<>();
    /** Groups watched for queueNoConsumerPolicy=fail: joined for good. */
    private final Set<String> observed = ConcurrentHashMap.newKeySet();

    public QueueProtocols(Provider provider, ScheduledExecutorService timer, int maxHeld) {
        this.provider = provider;
        this.timer = timer;
        this.maxHeld = maxHeld;
    }

    /** The protocol of {@code group}, created with {@code local} if there is none. */
    public QueueProtocol open(String group, Function<String, QueueProtocol.LocalDelivery> local) {
        return byGroup.computeIfAbsent(group, g -> new QueueProtocol(g, provider, local.apply(g), timer, maxHeld));
    }

    /** The protocol of {@code group}, or null. */
    public QueueProtocol get(String group) {
        return byGroup.get(group);
    }

    /** A local consumer on {@code group} exists (again): this member takes messages, parked ones first. */
    public void consumerAdded(String group) {
        QueueProtocol p = byGroup.get(group);
        if (p != null) {
            p.observe(false);
            p.unpark();
        }
    }

    /** Messages of {@code group} parked here for want of a local consumer. */
    public int parkedCount(String group) {
        QueueProtocol p = byGroup.get(group);
        return p == null ? 0 : p.parkedCount();
    }

    /**
     * The last local consumer of {@code group} is gone but messages are parked here: this member stays in the group
     * as an observer (announcing that it has no consumer) and keeps them for the next local consumer.
     */
    public void linger(String group) {
        QueueProtocol p = byGroup.get(group);
        if (p != null) {
            LOG.info("queue group {}: no local consumer, {} message(s) parked here; staying in the group until a"
                    + " consumer takes them or the connection closes", group, p.parkedCount());
            p.observe(true);
        }
    }

    /**
     * The last local consumer of {@code group} is gone (the caller flushed its ACKs): an observed group stays, taking
     * nothing; any other protocol is dropped before the caller leaves the group.
     */
    public void retire(String group) {
        QueueProtocol p = byGroup.get(group);
        if (p == null) {
            return;
        }
        if (observed.contains(group)) {
            p.observe(true);
        } else if (byGroup.remove(group, p)) {
            p.close();
        }
    }

    /**
     * Sends the pending ACKs of {@code group} and waits, at most {@code max}, until every control message queued so
     * far went out: before a consumer's connection leaves the group, so the others see its ACKs before its LEAVE.
     */
    public void flushAcks(String group, Duration max) {
        QueueProtocol p = byGroup.get(group);
        if (p != null && !p.flushAcks(max)) {
            LOG.warn("ACKs of {} did not go out within {} ms before leaving it: the other members will redeliver"
                    + " those messages, marked redelivered", group, max.toMillis());
        }
    }

    /**
     * Marks {@code group} observed; true the first time (the caller then joins it for good). A group without a local
     * consumer gets an observing protocol.
     */
    public boolean markObserved(String group, Function<String, QueueProtocol.LocalDelivery> local) {
        if (!observed.add(group)) {
            return false;
        }
        boolean[] created = new boolean[1];
        QueueProtocol p = byGroup.computeIfAbsent(group, g -> {
            created[0] = true;
            return new QueueProtocol(g, provider, local.apply(g), timer, maxHeld);
        });
        if (created[0]) {
            p.observe(true); // no consumer here: take nothing
        }
        return true;
    }

    /** Undoes {@link #markObserved} after its join failed. */
    public void unobserve(String group) {
        if (observed.remove(group)) {
            QueueProtocol p = byGroup.get(group);
            if (p != null && p.isObserving() && byGroup.remove(group, p)) {
                p.close();
            }
        }
    }

    /** Whether some member other than observers consumes from {@code group}, waiting up to {@code max} for a view. */
    public boolean hasConsumers(String group, Duration max) throws InterruptedException {
        QueueProtocol p = byGroup.get(group);
        return p != null && p.hasConsumers(max);
    }

    /** A control message, for every group it was sent to that has a protocol here. */
    public void onControl(DataMessage dm) {
        QueueControl c = null;
        for (String g : dm.groups()) {
            QueueProtocol p = byGroup.get(g);
            if (p == null) {
                continue;
            }
            if (c == null) {
                try {
                    c = QueueControlCodec.decode(dm.data());
                } catch (IllegalArgumentException e) {
                    LOG.warn("malformed queue control message from {} in {}: {}", dm.sender(), g, e.getMessage());
                    return;
                }
            }
            p.onControl(c);
        }
    }

    /** A regular view of a group. */
    public void onView(GroupView view) {
        QueueProtocol p = byGroup.get(view.group());
        if (p != null) {
            p.onView(view);
        }
    }

    public void acknowledge(String group, String id) {
        QueueProtocol p = byGroup.get(group);
        if (p != null) {
            p.acknowledge(id);
        }
    }

    public void decline(String group, String id) {
        QueueProtocol p = byGroup.get(group);
        if (p != null) {
            p.decline(id);
        }
    }

    public void release(String group, String id) {
        QueueProtocol p = byGroup.get(group);
        if (p != null) {
            p.release(id);
        }
    }

    /** Stops every protocol's sending (the connection closes). */
    public void closeAll() {
        for (QueueProtocol p : byGroup.values()) {
            int parked = p.parkedCount();
            if (parked > 0) {
                LOG.warn("queue group {}: {} message(s) received but never consumed are given up as this connection"
                        + " closes (the other members redeliver what they hold; without a store member nobody else"
                        + " may)", p.group(), parked);
            }
            p.close();
        }
        byGroup.clear();
    }
}
