package org.spreadjms.jms.provider;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.jms.JMSException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.SpreadException.ConnectionClosedException;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.MembershipMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadAddress;
import org.spreadjms.jms.errors.JmsErrors;

/**
 * A decorator that reconnects: when the Spread connection is lost it connects again, to the same daemon or the next
 * one in its list, with exponential back-off, asks for the same private name (so temporary queues keep working when
 * the name is free again), and joins again every group the JMS layer had joined. Only when it gives up does the JMS
 * layer hear of the loss.
 *
 * <p>During the gap: sends wait up to {@link FailoverOptions#sendTimeout()} for the new connection, then fail;
 * receivers keep waiting on their buffers; leaves are only recorded (the group is not rejoined). A send whose
 * connection fails under it (nothing written, or a write cut off by the loss) is sent again on the new connection:
 * at-least-once, so a message that had reached the daemon before the loss arrives twice, with the same
 * JMSMessageID. Lost in the gap: messages multicast to groups while this connection was not a member (Spread keeps
 * nothing for absent members) and messages that were in the old connection's socket buffers.
 *
 * <p>The first connection is retried too, with the same attempts and back-off; when the attempts are unlimited
 * ({@code failover.maxReconnectAttempts=-1}) it gives up after {@code failover.sendTimeout}, so that
 * {@code createConnection} never waits for ever.
 */
public final class FailoverProvider implements Provider {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverProvider.class);

    /** Opens an unstarted provider for a daemon, asking for a private name ("" lets the daemon pick). */
    @FunctionalInterface
    public interface Connector {
        Provider open(SpreadAddress daemon, String privateName);
    }

    private final List<SpreadAddress> daemons;
    private final FailoverOptions options;
    private final Connector connector;
    private final String configuredName;
    private final Set<String> groups = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private ProviderListener listener;
    private Provider current;
    private boolean reconnecting;
    private Thread reconnectThread;
    private boolean closed;
    private JMSException gaveUp;
    private int next;
    /** Whether the providers the connector opens report idle (the last one opened tells). */
    private volatile boolean innerReportsIdle;

    public FailoverProvider(List<SpreadAddress> daemons, String privateName, FailoverOptions options,
                            Connector connector) {
        if (daemons.isEmpty()) {
            throw new IllegalArgumentException("failover needs at least one daemon");
        }
        this.daemons = List.copyOf(daemons);
        this.configuredName = privateName;
        this.options = options;
        this.connector = connector;
    }

    @Override
    public void start(ProviderListener l) throws JMSException {
        this.listener = l;
        JMSException last = null;
        long delay = options.initialDelay().toMillis();
        long deadline = System.nanoTime() + options.sendTimeout().toNanos();
        int attempts = 0;
        while (true) {
            for (int i = 0; i < daemons.size(); i++) {
                try {
                    Provider p = open(daemons.get(i), configuredName);
                    synchronized (lock) {
                        current = p;
                        next = (i + 1) % daemons.size();
                    }
                    if (attempts > 0) {
                        LOG.info("connected to {} after {} failed round(s) over {}", daemons.get(i), attempts,
                                daemons);
                    }
                    return;
                } catch (JMSException e) {
                    last = e;
                    LOG.debug("daemon {} not reachable: {}", daemons.get(i), e.getMessage());
                }
            }
            attempts++;
            boolean unlimited = options.maxAttempts() < 0;
            if ((!unlimited && attempts > options.maxAttempts())
                    || (unlimited && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay) > deadline)) {
                throw JmsErrors.withCause(new JMSException("could not connect to any of " + daemons + " in "
                        + attempts + " round(s) (failover.maxReconnectAttempts=" + options.maxAttempts()
                        + (unlimited ? ", bounded by failover.sendTimeout=" + options.sendTimeout().toMillis()
                        + " ms" : "") + "): " + last.getMessage()), last);
            }
            if (!waitFor(delay)) {
                throw JmsErrors.jms("closed while connecting to " + daemons, last);
            }
            delay = Math.min(options.maxDelay().toMillis(), (long) (delay * options.backOffMultiplier()));
        }
    }

    private Provider open(SpreadAddress daemon, String name) throws JMSException {
        Provider p = connector.open(daemon, name);
        p.start(new ProviderListener() {
            @Override
            public void onMessage(DataMessage message) {
                if (isCurrent(p)) {
                    listener.onMessage(message);
                }
            }

            @Override
            public void onMembership(MembershipMessage message) {
                if (isCurrent(p)) {
                    listener.onMembership(message);
                }
            }

            @Override
            public void onConnectionLost(JMSException cause) {
                lost(p, cause);
            }

            @Override
            public void onProblem(JMSException problem) {
                if (isCurrent(p)) {
                    listener.onProblem(problem);
                }
            }

            @Override
            public void onIdle() {
                listener.onIdle(); // even from a provider no longer current: it may end a burst it delivered
            }
        });
        innerReportsIdle = p.reportsIdle();
        return p;
    }

    private boolean isCurrent(Provider p) {
        synchronized (lock) {
            return current == p;
        }
    }

    private void lost(Provider p, JMSException cause) {
        synchronized (lock) {
            if (current != p || closed || reconnecting) {
                return;
            }
            reconnecting = true;
        }
        LOG.warn("lost the Spread connection {} ({}); reconnecting", p.privateGroup(), cause.getMessage());
        Thread t = new Thread(() -> reconnect(p.privateGroup(), cause), "spread-jms-failover");
        t.setDaemon(true);
        synchronized (lock) {
            reconnectThread = t;
        }
        t.start();
    }

    private void reconnect(String lostPrivateGroup, JMSException cause) {
        String name = lostPrivateGroup.substring(1, lostPrivateGroup.indexOf('#', 1));
        long delay = options.initialDelay().toMillis();
        for (int attempt = 1; options.maxAttempts() < 0 || attempt <= options.maxAttempts(); attempt++) {
            SpreadAddress daemon;
            synchronized (lock) {
                if (closed) {
                    return;
                }
                daemon = daemons.get(next);
                next = (next + 1) % daemons.size();
            }
            Provider p = null;
            try {
                p = openWithName(daemon, name);
                synchronized (lock) {
                    if (closed) {
                        p.close();
                        return;
                    }
                    // current before rejoining: the views and messages that the rejoins bring must reach the JMS
                    // layer (sends still wait, as reconnecting stays true until every group is joined)
                    current = p;
                }
                for (String g : groups) {
                    p.join(g);
                }
                synchronized (lock) {
                    reconnecting = false;
                    lock.notifyAll();
                }
                LOG.info("reconnected to {} as {} after {} attempt(s); rejoined {} group(s)", daemon,
                        p.privateGroup(), attempt, groups.size());
                return;
            } catch (JMSException | RuntimeException e) {
                LOG.debug("reconnect attempt {} to {} failed: {}", attempt, daemon, e.getMessage());
                if (p != null) {
                    p.close(); // half-joined: must not linger as a member that delivers nothing
                }
            }
            if (!waitFor(delay)) {
                return;
            }
            delay = Math.min(options.maxDelay().toMillis(), (long) (delay * options.backOffMultiplier()));
        }
        JMSException given = JmsErrors.jms("gave up reconnecting to " + daemons + " after " + options.maxAttempts()
                + " attempt(s): " + cause.getMessage(), cause);
        synchronized (lock) {
            gaveUp = given;
            reconnecting = false;
            lock.notifyAll();
        }
        listener.onConnectionLost(given);
    }

    /** The same private name when free; the configured one (or the daemon's pick) when it is still taken. */
    private Provider openWithName(SpreadAddress daemon, String name) throws JMSException {
        try {
            return open(daemon, name);
        } catch (JMSException e) {
            if (name.equals(configuredName)) {
                throw e;
            }
            return open(daemon, configuredName);
        }
    }

    private boolean waitFor(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (lock) {
            try {
                long left;
                while (!closed && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return !closed;
        }
    }

    /** The live provider, waiting (bounded) while reconnecting. */
    private Provider live() throws JMSException {
        long deadline = System.nanoTime() + options.sendTimeout().toNanos();
        synchronized (lock) {
            try {
                while (reconnecting && !closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw JmsErrors.jms("not reconnected to a Spread daemon within "
                                + options.sendTimeout().toMillis() + " ms (failover.sendTimeout)", null);
                    }
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw JmsErrors.jms("interrupted while waiting for the reconnection", e);
            }
            if (gaveUp != null) {
                throw JmsErrors.jms(gaveUp.getMessage(), gaveUp);
            }
            if (closed) {
                throw new jakarta.jms.IllegalStateException("the connection is closed");
            }
            return current;
        }
    }

    @Override
    public String privateGroup() {
        synchronized (lock) {
            return current.privateGroup();
        }
    }

    @Override
    public void join(String group) throws JMSException {
        live().join(group);
        groups.add(group);
    }

    @Override
    public void leave(String group) throws JMSException {
        groups.remove(group);
        Provider p;
        synchronized (lock) {
            if (reconnecting || closed || gaveUp != null) {
                return; // no connection is a member now, and the reconnection will not rejoin it
            }
            p = current;
        }
        p.leave(group);
    }

    @Override
    public boolean isConnected() {
        synchronized (lock) {
            return !reconnecting && !closed && gaveUp == null;
        }
    }

    @Override
    public void send(List<String> to, ServiceType service, short messType, byte[] payload, int length)
            throws JMSException {
        Provider p = live();
        try {
            p.send(to, service, messType, payload, length);
        } catch (JMSException e) {
            if (!connectionFailed(e)) {
                throw e; // refused for what it is (size, name, security): another connection would refuse it too
            }
            // nothing written, or the write was cut off by the loss (it may have reached the daemon: at-least-once);
            // the loss may not have been noticed yet: reconnect and send once more
            LOG.debug("send failed with the connection ({}); sending again after reconnecting", e.getMessage());
            lost(p, e);
            live().send(to, service, messType, payload, length);
        }
    }

    /** Whether {@code e} says the connection itself failed (as opposed to a refusal of this message). */
    private static boolean connectionFailed(JMSException e) {
        if (e instanceof NotConnectedException) {
            return true;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof ConnectionClosedException || t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int maxPayloadBytes(int groupCount) {
        synchronized (lock) {
            return current.maxPayloadBytes(groupCount);
        }
    }

    @Override
    public boolean reportsIdle() {
        return innerReportsIdle;
    }

    @Override
    public String daemonVersion() {
        synchronized (lock) {
            return current.daemonVersion();
        }
    }

    @Override
    public void close() {
        Provider p;
        Thread t;
        synchronized (lock) {
            closed = true;
            p = current;
            t = reconnectThread;
            lock.notifyAll();
        }
        if (p != null) {
            p.close();
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5)); // bounded: an attempt in progress ends within its timeouts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
