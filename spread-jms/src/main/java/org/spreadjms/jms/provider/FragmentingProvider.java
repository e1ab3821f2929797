package org.spreadjms.jms.provider;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.jms.JMSException;
import jakarta.jms.ResourceAllocationException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.MembershipMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.membership.MembershipReason;

/**
 * A decorator that carries messages larger than one Spread message: it splits them into {@link Fragment}s sent in
 * order with the message's service type, and puts them together at the receiver ({@link Reassembly}) before the JMS
 * layer sees them. The fragments of one message are sent under one lock, so two large messages of one connection do
 * not interleave, and a message completes at every receiver in its service type's order. Memory for reassembly is
 * bounded; pieces
 * of a sender that leaves or goes quiet mid-message are discarded with a log line.
 */
public final class FragmentingProvider implements Provider {
    private static final Logger LOG = LoggerFactory.getLogger(FragmentingProvider.class);

    private final Provider inner;
    private final long maxMessageBytes;
    private final Reassembly reassembly;
    private final AtomicLong keys = new AtomicLong();
    private final Object sendLock = new Object();
    private volatile ProviderListener listener;

    /**
     * @param maxMessageBytes largest message sent or accepted
     * @param maxPendingBytes memory for messages being reassembled
     * @param timeoutMillis   a partial message with no new piece for this long is discarded
     */
    public FragmentingProvider(Provider inner, long maxMessageBytes, long maxPendingBytes, long timeoutMillis) {
        this.inner = inner;
        this.maxMessageBytes = maxMessageBytes;
        this.reassembly = new Reassembly(maxMessageBytes, maxPendingBytes, TimeUnit.MILLISECONDS.toNanos(timeoutMillis),
                this::refused);
    }

    private void refused(String reason) {
        ProviderListener l = listener;
        if (l != null) {
            l.onProblem(new ResourceAllocationException(reason, "SPREADJMS_MESSAGE_TOO_LARGE"));
        }
    }

    @Override
    public void start(ProviderListener listener) throws JMSException {
        this.listener = listener;
        inner.start(new ProviderListener() {
            @Override
            public void onMessage(DataMessage message) {
                if (message.messType() != Fragment.MESS_TYPE) {
                    listener.onMessage(message);
                    return;
                }
                Fragment f;
                try {
                    f = Fragment.decode(message.data());
                } catch (IllegalArgumentException e) {
                    LOG.warn("dropped a malformed fragment from {}: {}", message.sender(), e.getMessage());
                    return;
                }
                byte[] whole = reassembly.add(message.sender(), f);
                if (whole != null) {
                    listener.onMessage(new DataMessage(message.serviceTypeWord(), message.sender(), message.groups(),
                            f.messType(), message.endianMismatch(), whole));
                }
            }

            @Override
            public void onMembership(MembershipMessage message) {
                if (message.reason() == MembershipReason.DISCONNECT || message.reason() == MembershipReason.LEAVE
                        || message.reason() == MembershipReason.NETWORK) {
                    List<String> gone = message.reason() == MembershipReason.NETWORK
                            ? List.of() : message.changedMembers();
                    if (!gone.isEmpty()) {
                        reassembly.sendersGone(gone);
                    }
                }
                listener.onMembership(message);
            }

            @Override
            public void onConnectionLost(JMSException cause) {
                listener.onConnectionLost(cause);
            }

            @Override
            public void onProblem(JMSException problem) {
                listener.onProblem(problem);
            }

            @Override
            public void onIdle() {
                listener.onIdle();
            }
        });
    }

    @Override
    public boolean isConnected() {
        return inner.isConnected();
    }

    @Override
    public void send(List<String> groups, ServiceType service, short messType, byte[] payload, int total)
            throws JMSException {
        int max = inner.maxPayloadBytes(groups.size());
        if (total <= max) {
            inner.send(groups, service, messType, payload, total);
            return;
        }
        if (total > maxMessageBytes) {
            throw new jakarta.jms.MessageFormatException("message of " + total + " bytes exceeds the limit of "
                    + maxMessageBytes + " bytes (maxMessageBytes)");
        }
        long key = keys.incrementAndGet();
        synchronized (sendLock) {
            Fragment.split(messType, key, payload, total, max,
                    frame -> inner.send(groups, service, Fragment.MESS_TYPE, frame));
        }
    }

    @Override
    public int maxSingleMessageBytes(int groups) {
        return inner.maxSingleMessageBytes(groups);
    }

    @Override
    public int maxPayloadBytes(int groups) {
        return (int) Math.min(Integer.MAX_VALUE - 64, maxMessageBytes);
    }

    @Override
    public String privateGroup() {
        return inner.privateGroup();
    }

    @Override
    public void join(String group) throws JMSException {
        inner.join(group);
    }

    @Override
    public void leave(String group) throws JMSException {
        inner.leave(group);
    }

    @Override
    public boolean reportsIdle() {
        return inner.reportsIdle();
    }

    @Override
    public String daemonVersion() {
        return inner.daemonVersion();
    }

    @Override
    public void close() {
        inner.close();
    }

    int partialMessages() {
        return reassembly.partialCount();
    }
}
