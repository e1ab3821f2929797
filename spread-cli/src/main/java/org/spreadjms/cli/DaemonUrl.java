package org.spreadjms.cli;

import org.spreadjms.client.SpreadAddress;
import org.spreadjms.client.SpreadException;

/** Reads a daemon given as {@code spread://host:port} or in Spread's {@code port@host} form. */
final class DaemonUrl {
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
}
