package org.spreadjms.jms.destination;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.Topic;

import org.spreadjms.jms.errors.JmsErrors;


/**
 * A JMS destination and the Spread group (or private group) it maps to.
 *
 * <p>Equality is on {@link #kind()} and {@link #getName()} only; {@link #options()} do not take part.
 *
 * <h2>Encoded form</h2>
 * Destinations travel in message envelopes (JMSReplyTo, JMSDestination) as {@code <code>:<name>}, see
 * {@link #encode()} and {@link #parse(String)}:
 * <table>
 * <caption>encoded destinations</caption>
 * <tr><th>kind</th><th>code</th><th>example</th></tr>
 * <tr><td>topic</td><td>{@code t}</td><td>{@code t:orders}</td></tr>
 * <tr><td>queue</td><td>{@code q}</td><td>{@code q:work}</td></tr>
 * <tr><td>temporary topic</td><td>{@code tt}</td><td>{@code tt:tt~Xb3...} (its generated group)</td></tr>
 * <tr><td>temporary queue</td><td>{@code tq}</td><td>{@code tq:#alice#localhost/3} (private group / sub-address)
 * </td></tr>
 * </table>
 * Options are not encoded: they steer the sender and mean nothing to a receiver.
 */
public abstract class SpreadDestination implements Destination, Serializable, Comparable<SpreadDestination> {
    private static final long serialVersionUID = 1L;

    /** The four kinds of JMS destination, with their envelope code and their {@code toString} scheme. */
    public enum Kind {
        TOPIC("t", "topic://"),
        QUEUE("q", "queue://"),
        TEMPORARY_TOPIC("tt", "temp-topic://"),
        TEMPORARY_QUEUE("tq", "temp-queue://");

        private final String code;
        private final String scheme;

        Kind(String code, String scheme) {
            this.code = code;
            this.scheme = scheme;
        }

        /** The code used in {@link SpreadDestination#encode()}. */
        public String code() {
            return code;
        }

        /** The prefix used in {@link SpreadDestination#toString()}. */
        public String scheme() {
            return scheme;
        }

        public boolean isTopic() {
            return this == TOPIC || this == TEMPORARY_TOPIC;
        }

        public boolean isTemporary() {
            return this == TEMPORARY_TOPIC || this == TEMPORARY_QUEUE;
        }
    }

    private final String name;
    private final String spreadGroup;
    private final Map<String, String> options;

    SpreadDestination(String name, String spreadGroup, Map<String, String> options) {
        this.name = name;
        this.spreadGroup = spreadGroup;
        this.options = Map.copyOf(options);
    }

    /** The JMS name, without any {@code ?options}. */
    public final String getName() {
        return name;
    }

    public abstract Kind kind();

    /** The Spread group or private group name ({@code #name#daemon}) this destination maps to. */
    public final String spreadGroup() {
        return spreadGroup;
    }

    /** The options given after {@code '?'} in the name; empty if none. Unmodifiable. */
    public final Map<String, String> options() {
        return options;
    }

    /** The envelope form {@code <code>:<name>} (see the class comment). */
    public final String encode() {
        String e = encoded;
        if (e == null) {
            e = kind().code() + ":" + name;
            encoded = e;
        }
        return e;
    }

    /** {@link #encode()}, kept: it travels in every message. */
    private transient volatile String encoded;

    /**
     * Rebuilds a destination from {@link #encode()}. A temporary destination rebuilt this way has no delete callback
     * (it belongs to another connection).
     *
     * @throws InvalidDestinationException if the form is not {@code t:}, {@code q:}, {@code tt:} or {@code tq:}
     *                                     followed by a valid name
     */
    public static SpreadDestination parse(String encoded) throws InvalidDestinationException {
        if (encoded == null) {
            throw JmsErrors.invalidDestination("encoded destination is null", null);
        }
        int colon = encoded.indexOf(':');
        String code = colon < 0 ? "" : encoded.substring(0, colon);
        String name = colon < 0 ? "" : encoded.substring(colon + 1);
        if (name.indexOf('?') >= 0) {
            throw JmsErrors.invalidDestination("encoded destination '" + encoded + "' carries options (not allowed"
                    + " in the encoded form)", null);
        }
        return switch (code) {
            case "t" -> new SpreadTopic(name);
            case "q" -> new SpreadQueue(name);
            case "tt" -> new SpreadTemporaryTopic(name, null, null, null);
            case "tq" -> SpreadTemporaryQueue.fromName(name);
            default -> throw JmsErrors.invalidDestination("encoded destination '" + encoded + "' does not start with"
                    + " t:, q:, tt: or tq:", null);
        };
    }

    /**
     * Turns any JMS destination into a Spread one: Spread destinations are returned as they are, foreign topics and
     * queues are rebuilt from their names. Foreign temporary destinations cannot be mapped.
     *
     * @return null for null
     * @throws InvalidDestinationException for foreign temporary destinations and unknown destination types
     */
    public static SpreadDestination from(Destination d) throws JMSException {
        if (d == null || d instanceof SpreadDestination) {
            return (SpreadDestination) d;
        }
        if (d instanceof TemporaryQueue || d instanceof TemporaryTopic) {
            throw JmsErrors.invalidDestination("temporary destination " + d + " of another JMS provider ("
                    + d.getClass().getName() + ") cannot be used with Spread", null);
        }
        if (d instanceof Queue q) {
            return new SpreadQueue(q.getQueueName());
        }
        if (d instanceof Topic t) {
            return new SpreadTopic(t.getTopicName());
        }
        throw JmsErrors.invalidDestination("destination " + d + " (" + d.getClass().getName()
                + ") is neither a Queue nor a Topic", null);
    }

    @Override
    public final boolean equals(Object o) {
        return o instanceof SpreadDestination other && other.kind() == kind() && other.name.equals(name);
    }

    @Override
    public final int hashCode() {
        return Objects.hash(kind(), name);
    }

    /** Orders by kind, then name. */
    @Override
    public final int compareTo(SpreadDestination o) {
        int c = kind().compareTo(o.kind());
        return c != 0 ? c : name.compareTo(o.name);
    }

    /** {@code topic://orders}, {@code queue://work}, {@code temp-queue://#alice#host/3}, ... */
    @Override
    public final String toString() {
        return kind().scheme() + name;
    }
}
