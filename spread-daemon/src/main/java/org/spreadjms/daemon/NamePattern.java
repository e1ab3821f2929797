package org.spreadjms.daemon;

import java.util.List;

/**
 * A pattern over group names and private names with broker-style wildcards (as ActiveMQ's): names are split into
 * tokens at {@code '.'}; in a pattern, the token {@code *} matches exactly one token, a token ending in {@code *}
 * ({@code ord*}) one token starting with that prefix, and {@code >} as the last token one or more tokens. Anything
 * else matches itself. So {@code orders.>} matches {@code orders.eu} and {@code orders.eu.new} but not {@code orders};
 * {@code orders.*} matches {@code orders.eu} only; {@code >} matches every name.
 *
 * <p>The forms {@code topic:P} and {@code queue:P} name JMS destinations: a JMS topic is the Spread group of the same
 * name, a JMS queue {@code Q} the group {@code q~Q} (spread-jms's mapping), so {@code queue:orders.>} is the group
 * pattern {@code q~orders.>}. Destination names that spread-jms hashes (longer than 31 characters, or with characters
 * outside {@code '$'..'~'}) can only be named by their hashed group name.
 */
final class NamePattern {
    static final String QUEUE_GROUP_PREFIX = "q~";
    private final String text;
    private final String[] tokens;

    private NamePattern(String text, String[] tokens) {
        this.text = text;
        this.tokens = tokens;
    }

    static NamePattern compile(String pattern) {
        String p = pattern;
        String rest = p;
        if (p.startsWith("topic:")) {
            p = p.substring("topic:".length());
            rest = p;
        } else if (p.startsWith("queue:")) {
            rest = p.substring("queue:".length());
            p = QUEUE_GROUP_PREFIX + rest;
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("empty pattern '" + pattern + "'");
        }
        String[] t = p.split("\\.", -1);
        for (int i = 0; i < t.length; i++) {
            if (t[i].isEmpty()) {
                throw new IllegalArgumentException("pattern '" + pattern + "' has an empty token");
            }
            if (t[i].equals(">") && i != t.length - 1) {
                throw new IllegalArgumentException("pattern '" + pattern + "': '>' must be the last token");
            }
            if (t[i].indexOf('>') >= 0 && !t[i].equals(">")) {
                throw new IllegalArgumentException("pattern '" + pattern + "': '>' must be a whole token");
            }
            if (t[i].indexOf('*') >= 0 && t[i].indexOf('*') != t[i].length() - 1) {
                throw new IllegalArgumentException("pattern '" + pattern + "': '*' may only end a token");
            }
        }
        return new NamePattern(pattern, t);
    }

    boolean matches(String name) {
        List<String> n = List.of(name.split("\\.", -1));
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            if (t.equals(">")) {
                return n.size() > i;
            }
            if (i >= n.size()) {
                return false;
            }
            String token = n.get(i);
            if (t.endsWith("*")) {
                if (!token.startsWith(t.substring(0, t.length() - 1)) || token.isEmpty()) {
                    return false;
                }
            } else if (!t.equals(token)) {
                return false;
            }
        }
        return n.size() == tokens.length;
    }

    @Override
    public String toString() {
        return text;
    }
}
