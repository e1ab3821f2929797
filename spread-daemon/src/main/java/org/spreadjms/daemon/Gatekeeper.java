package org.spreadjms.daemon;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.wire.AuthMessages;
import org.spreadjms.client.wire.Handshake;

/**
 * The selector loop's helper for authentication and authorization at connect time: which methods to list, which
 * exchange runs for a client's choice, whether the private name is allowed, and when a verdict may be sent
 * ({@link LoginThrottle}: verdicts wait in a queue until they are due, the loop never sleeps). Used by the selector
 * thread only.
 */
final class Gatekeeper {
    private static final Logger LOG = LoggerFactory.getLogger(Gatekeeper.class);

    /** A finished exchange whose answer goes out at {@code due}. */
    record Verdict(Session session, boolean accepted, byte[] reply, long due) {
    }

    private final SecurityFiles files;
    private final LoginThrottle throttle;
    private final PriorityQueue<Verdict> waiting = new PriorityQueue<>(Comparator.comparingLong(Verdict::due));

    Gatekeeper(SecurityFiles files, LoginThrottle throttle) {
        this.files = files;
        this.throttle = throttle;
    }

    SecurityPolicy policy() {
        return files.policy();
    }

    /** The auth list for a new session: the policy's methods, then this daemon's tokens. */
    static byte[] authList(SecurityPolicy p, boolean extendedLimits) {
        List<String> m = new ArrayList<>(p.authMethods());
        if (extendedLimits) {
            m.add(Handshake.EXTENDED_LIMITS_TOKEN);
        }
        if (p.acl() != null) {
            m.add(AuthMessages.ACL_TOKEN);
        }
        return Handshake.authList(m);
    }

    /**
     * The exchange for a client's choice, or null when the choice is to be refused at once. All-NULL choices are
     * answered with an exchange-less anonymous login: {@link #ANONYMOUS}.
     */
    static ServerExchange exchangeFor(SecurityPolicy p, List<String> chosen) {
        if (chosen.isEmpty() || !chosen.stream().allMatch(p::offers)) {
            return null;
        }
        if (chosen.stream().allMatch(Handshake.NULL_METHOD::equals)) {
            return ANONYMOUS;
        }
        if (chosen.size() != 1) {
            return null; // Spread runs several methods in turn; one credential method is all this daemon does
        }
        return switch (chosen.get(0)) {
            case AuthMessages.PWORD_METHOD -> new PwordExchange(p);
            case AuthMessages.SCRAM_METHOD -> new ScramExchange(p);
            default -> null;
        };
    }

    /** Marker for an anonymous (NULL) login. */
    static final ServerExchange ANONYMOUS = new ServerExchange() {
        @Override
        Status feed(java.nio.ByteBuffer in) {
            return Status.ACCEPTED;
        }

        @Override
        String user() {
            return null;
        }

        @Override
        String problem() {
            return null;
        }
    };

    /** Why {@code who} may not take the private name it asked for, or null. Invented names are always fine. */
    static String nameProblem(SecurityPolicy p, Principal who, String requested) {
        if (requested.isEmpty() || p.allows(who, AccessControlList.Right.NAME, requested)) {
            return null;
        }
        return who + " may not use the private name '" + requested + "'";
    }

    /** Records the outcome of an exchange with the throttle and returns when its answer may go out. */
    Verdict verdict(Session s, ServerExchange ex, boolean accepted, byte[] reply, long now) {
        String address = address(s.remote);
        String user = ex.user();
        long due;
        if (accepted) {
            due = now + throttle.delayNanos(address, user, now);
            throttle.succeeded(address, user);
        } else {
            due = throttle.failed(address, user, now);
            LOG.warn("authentication of user '{}' from {} refused ({}); answer in {} ms", user, s.remote,
                    ex.problem(), TimeUnit.NANOSECONDS.toMillis(due - now));
        }
        return new Verdict(s, accepted, reply, due);
    }

    void delay(Verdict v) {
        waiting.add(v);
    }

    /** Verdicts that are due now, in due order. */
    List<Verdict> takeDue(long now) {
        List<Verdict> out = new ArrayList<>();
        while (!waiting.isEmpty() && waiting.peek().due() <= now) {
            out.add(waiting.poll());
        }
        return out;
    }

    /** Milliseconds until the next verdict is due (at least 1), or 0 when none waits. */
    long millisToNextDue(long now) {
        Verdict v = waiting.peek();
        return v == null ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(v.due() - now + 999_999));
    }

    private static String address(SocketAddress a) {
        return a instanceof InetSocketAddress i && i.getAddress() != null ? i.getAddress().getHostAddress()
                : String.valueOf(a);
    }
}
