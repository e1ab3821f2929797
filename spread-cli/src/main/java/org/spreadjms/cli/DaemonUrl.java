package org.spreadjms.cli;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.spreadjms.client.SpreadAddress;
import org.spreadjms.client.SpreadException;
import org.spreadjms.jms.SpreadJmsSettings;
import org.spreadjms.jms.provider.FailoverOptions;

/**
 * Reads a daemon given as {@code spread://host:port[?options]}, Spread's {@code port@host}, {@code host:port}, or a
 * bare port, for both the raw client (an address) and the JMS provider (a {@code spread://} URI); and, for a store
 * member, a failover list as the JMS URIs write it.
 */
final class DaemonUrl {
    static final String DEFAULT = "spread://127.0.0.1:4803";
    private static final String FAILOVER_PREFIX = "spread:failover:";
    /** The options of a failover list that a store member takes: how long it waits between attempts. */
    private static final Set<String> STORE_FAILOVER_OPTIONS = Set.of("failover.initialReconnectDelay",
            "failover.maxReconnectDelay");

    /**
     * The daemons a store member runs on, in the order they are tried, and the wait between attempts that found none
     * (doubling from {@code initialDelay} up to {@code maxDelay}).
     */
    record DaemonList(List<SpreadAddress> daemons, Duration initialDelay, Duration maxDelay) {
        DaemonList {
            daemons = List.copyOf(daemons);
        }
    }

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

    /**
     * A store member's daemons: one daemon in any form {@link #parse} reads (waits of 100 ms doubling to 5 s), or
     * {@code spread:failover:(spread://host1:port1,spread://host2:port2)[?failover.initialReconnectDelay=100&
     * failover.maxReconnectDelay=5000]} as the JMS URIs write it (the same defaults). Other options are refused:
     * they are connection options of JMS clients, not of a store member.
     *
     * @throws IllegalArgumentException for a malformed list or an option a store member does not take
     */
    static DaemonList daemons(String url) throws SpreadException {
        String s = url.trim();
        if (!s.startsWith(FAILOVER_PREFIX)) {
            FailoverOptions defaults = new SpreadJmsSettings().failoverOptions();
            return new DaemonList(List.of(parse(s)), defaults.initialDelay(), defaults.maxDelay());
        }
        int close = s.indexOf(')');
        int query = close < 0 ? -1 : s.indexOf('?', close);
        if (query >= 0) {
            List<String> others = java.util.Arrays.stream(s.substring(query + 1).split("&"))
                    .map(kv -> kv.contains("=") ? kv.substring(0, kv.indexOf('=')) : kv)
                    .filter(k -> !k.isEmpty() && !STORE_FAILOVER_OPTIONS.contains(k)).toList();
            if (!others.isEmpty()) {
                throw new IllegalArgumentException("option(s) " + others + " in '" + s + "' do not apply to a store"
                        + " member; it takes " + STORE_FAILOVER_OPTIONS.stream().sorted().toList());
            }
        }
        SpreadJmsSettings settings = SpreadJmsSettings.fromUri(s);
        FailoverOptions f = settings.failoverOptions();
        return new DaemonList(settings.daemons(), f.initialDelay(), f.maxDelay());
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
