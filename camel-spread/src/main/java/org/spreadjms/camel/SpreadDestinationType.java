package org.spreadjms.camel;

import java.util.Locale;

/** What the path of a {@code spread:} endpoint names. */
public enum SpreadDestinationType {
    /** A JMS topic: a Spread group every subscriber receives. */
    topic,
    /** A JMS queue: competing consumers, each message taken by one connection. */
    queue,
    /** The membership changes of the Spread group a topic (or raw group) name maps to; consumer only. */
    membership;

    /** Parses the first path segment, naming the allowed ones on failure. */
    static SpreadDestinationType of(String text) {
        try {
            return valueOf(text.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("destination type '" + text + "' is not one of topic, queue,"
                    + " membership", e);
        }
    }
}
