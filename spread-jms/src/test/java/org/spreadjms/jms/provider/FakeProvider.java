package org.spreadjms.jms.provider;

import java.util.Arrays;
import java.util.List;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;

import org.spreadjms.client.DaemonLimits;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.MembershipMessage;
import org.spreadjms.client.ServiceType;

/**
 * <b>Test fixture</b>: one member's connection to a {@link FakeSpread} bus, as the JMS layer sees it. Its private
 * group is {@code #name#fake}, known from construction. Events reach its listener only when the test delivers them
 * ({@link FakeSpread#deliverAll()}); {@link #close()} is a disconnect the other members see.
 */
public final class FakeProvider implements Provider {
    private final FakeSpread bus;
    private final String privateGroup;
    private volatile ProviderListener listener;

    FakeProvider(FakeSpread bus, String privateGroup) {
        this.bus = bus;
        this.privateGroup = privateGroup;
    }

    ProviderListener listener() {
        return listener;
    }

    /** Starts with a listener that ignores every event (a member that only sends, joins and leaves). */
    public void startIgnoringEvents() throws JMSException {
        start(new ProviderListener() {
            @Override
            public void onMessage(DataMessage message) {
            }

            @Override
            public void onMembership(MembershipMessage message) {
            }

            @Override
            public void onConnectionLost(JMSException cause) {
            }
        });
    }

    @Override
    public void start(ProviderListener l) throws JMSException {
        this.listener = l;
        bus.connect(this);
    }

    @Override
    public String privateGroup() {
        return privateGroup;
    }

    @Override
    public void join(String group) throws JMSException {
        bus.join(this, group);
    }

    @Override
    public void leave(String group) throws JMSException {
        bus.leave(this, group);
    }

    @Override
    public void send(List<String> groups, ServiceType service, short messType, byte[] payload, int length)
            throws JMSException {
        if (length > maxPayloadBytes(groups.size())) {
            throw new MessageFormatException(length + " bytes exceed " + maxPayloadBytes(groups.size()));
        }
        bus.send(this, groups, service, messType, Arrays.copyOf(payload, length));
    }

    @Override
    public int maxPayloadBytes(int groups) {
        return DaemonLimits.SPREAD_4.maxDataBytes(groups);
    }

    @Override
    public boolean reportsIdle() {
        return bus.reportsIdle();
    }

    @Override
    public String daemonVersion() {
        return "4.0.0-fake";
    }

    @Override
    public void close() {
        bus.disconnect(this);
    }

    @Override
    public String toString() {
        return "FakeProvider[" + privateGroup + "]";
    }
}
