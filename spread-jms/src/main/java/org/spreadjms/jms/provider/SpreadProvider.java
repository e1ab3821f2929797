package org.spreadjms.jms.provider;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import jakarta.jms.JMSException;

import org.spreadjms.client.DataMessage;
import org.spreadjms.client.MembershipMessage;
import org.spreadjms.client.Multicast;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadError;
import org.spreadjms.client.SpreadException;
import org.spreadjms.client.SpreadListener;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.jms.errors.JmsErrors;

/** The provider over one {@code spread-client} connection. */
public final class SpreadProvider implements Provider {
    private final SpreadOptions options;
    private final Duration joinTimeout;
    private static final int ACCEPTED_LIMIT = 4096;
    private volatile SpreadConnection connection;
    /** Destination lists the daemon's access control accepted once (only used when the daemon has an ACL). */
    private final java.util.Set<List<String>> accepted = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public SpreadProvider(SpreadOptions options, Duration joinTimeout) {
        this.options = options;
        this.joinTimeout = joinTimeout;
    }

    @Override
    public void start(ProviderListener listener) throws JMSException {
        try {
            SpreadConnection c = SpreadConnection.connect(options);
            c.addListener(new SpreadListener() {
                @Override
                public void onMessage(DataMessage message) {
                    listener.onMessage(message);
                }

                @Override
                public void onMembership(MembershipMessage message) {
                    listener.onMembership(message);
                }

                @Override
                public void onConnectionLost(SpreadException cause) {
                    listener.onConnectionLost(toJms("connection to the Spread daemon lost", cause));
                }

                @Override
                public void onIdle() {
                    listener.onIdle();
                }
            });
            connection = c;
        } catch (SpreadException e) {
            throw toJms("could not connect to the Spread daemon at " + options.address(), e);
        }
    }

    @Override
    public String privateGroup() {
        return connection().privateGroup();
    }

    @Override
    public void join(String group) throws JMSException {
        try {
            connection().join(group, joinTimeout);
        } catch (SpreadException e) {
            throw toJms("could not join Spread group '" + group + "'", e);
        } catch (TimeoutException e) {
            throw JmsErrors.jms("the daemon did not confirm the join of Spread group '" + group + "' within "
                    + joinTimeout.toMillis() + " ms", e);
        }
    }

    @Override
    public void leave(String group) throws JMSException {
        try {
            connection().leave(group);
        } catch (SpreadException e) {
            throw toJms("could not leave Spread group '" + group + "'", e);
        }
    }

    @Override
    public void send(List<String> groups, ServiceType service, short messType, byte[] payload, int length)
            throws JMSException {
        if (!connection().isOpen()) {
            throw new NotConnectedException("the Spread connection " + connection().privateGroup() + " is closed");
        }
        SpreadConnection c = connection();
        boolean check = c.accessControlled() && !accepted.contains(groups);
        long mark = check ? c.refusalMark() : 0;
        try {
            if (groups.size() == 1) {
                connection().multicast(service, groups.get(0), messType, payload, 0, length);
            } else {
                connection().multicast(Multicast.to(groups).service(service).messType(messType)
                        .data(payload, 0, length));
            }
            if (check) {
                // the first send to these groups waits for the daemon's verdict (an echo's round trip), later ones
                // do not; a refusal after that (an ACL reloaded meanwhile) is only logged by the client
                c.checkAccepted(mark, groups, joinTimeout);
                if (accepted.size() >= ACCEPTED_LIMIT) {
                    accepted.clear();
                }
                accepted.add(List.copyOf(groups));
            }
        } catch (SpreadException e) {
            throw toJms("send to " + groups + " failed", e);
        } catch (TimeoutException e) {
            throw JmsErrors.jms("the daemon did not answer the access check of a send to " + groups + " within "
                    + joinTimeout.toMillis() + " ms", e);
        }
    }

    @Override
    public int maxPayloadBytes(int groups) {
        return connection().limits().maxDataBytes(groups);
    }

    /** The client's dispatcher thread calls {@link org.spreadjms.client.SpreadListener#onIdle} before each wait. */
    @Override
    public boolean reportsIdle() {
        return true;
    }

    @Override
    public String daemonVersion() {
        return connection().daemonVersion();
    }

    @Override
    public void close() {
        SpreadConnection c = connection;
        if (c != null) {
            c.disconnect();
        }
    }

    private SpreadConnection connection() {
        SpreadConnection c = connection;
        if (c == null) {
            throw new java.lang.IllegalStateException("provider not started");
        }
        return c;
    }

    private static JMSException toJms(String what, SpreadException e) {
        String message = what + ": " + e.getMessage();
        if (e instanceof SpreadException.AuthenticationException || e instanceof SpreadException.AccessRefusedException) {
            return JmsErrors.withCause(new jakarta.jms.JMSSecurityException(message, e.error().name()), e);
        }
        if (e.error() == SpreadError.ILLEGAL_GROUP) {
            return JmsErrors.invalidDestination(message, e);
        }
        if (e.error() == SpreadError.MESSAGE_TOO_LONG) {
            return JmsErrors.withCause(new jakarta.jms.MessageFormatException(message), e);
        }
        return JmsErrors.jms(message, e);
    }
}
