package org.spreadjms.cli;

import org.spreadjms.client.SpreadAddress;
import org.spreadjms.client.SpreadException;

/**
 * Reads a daemon given as {@code spread://host:port[?options]}, Spread's {@code port@host}, {@code host:port}, or a
 * bare port, for both the raw client (an address) and the JMS provider (a {@code spread://} URI).
 */
final class DaemonUrl {
    static final String DEFAULT = "spread://127.0.0.1:4803";

    private DaemonUrl() {
    }

    static SpreadAddress parse(String url) throws SpreadException {
        String s = url.trim();
        if (s.startsWith("spread://")) {
            s = s.substring("spread://".length());
            int q = s.indexOf('?');
            if (q >= 0) {
                s = s.substring(0, q);
            }
            if (s.endsWith("/")) {
                s = s.substring(0, s.length() - 1);
            }
        }
        return SpreadAddress.parse(s);
    }

    /** The URI for {@code SpreadConnectionFactory}: a {@code spread://} URI as given, other forms rewritten. */
    static String jmsUri(String url) throws SpreadException {
        String s = url.trim();
        if (s.startsWith("spread://")) {
            return s;
        }
        SpreadAddress a = parse(s);
        return "spread://" + a.host() + ":" + a.port();
    }
}
