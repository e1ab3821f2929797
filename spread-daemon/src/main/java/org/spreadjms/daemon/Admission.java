package org.spreadjms.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.SpreadConstants;
import org.spreadjms.client.wire.FrameDecoder;
import org.spreadjms.client.wire.Handshake;

/**
 * Takes a new connection through the handshake: the connect request and the private name, the auth list and the
 * client's choice, the authentication exchange and its verdict (which the {@link Gatekeeper} may hold back), the
 * private-name check, and the accept or the reject byte. Used by the selector thread only; the loop keeps the
 * sockets ({@link Connections}).
 */
final class Admission {
    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

    /** What admission needs from the loop that owns the sockets. */
    interface Connections {
        /** Writes what is queued for the session (as much as the socket takes). */
        void flush(Session s) throws IOException;

        /** Closes the connection now. */
        void close(Session s);

        /** Applies the disconnects of sessions closed so far. */
        void drainDisconnects();
    }

    private final Segment segment;
    private final SessionDirectory directory;
    private final DaemonLimits limits;
    private final DaemonStats stats;
    private final Gatekeeper gatekeeper;
    private final Connections connections;

    Admission(Segment segment, SessionDirectory directory, DaemonLimits limits, DaemonStats stats,
              Gatekeeper gatekeeper, Connections connections) {
        this.segment = segment;
        this.directory = directory;
        this.limits = limits;
        this.stats = stats;
        this.gatekeeper = gatekeeper;
        this.connections = connections;
    }

    /** Bytes from a session still in its handshake; what is left in {@code in} afterwards are frames. */
    void read(Session s, ByteBuffer in) throws IOException {
        if (s.verdictPending) {
            in.position(in.limit()); // nothing may come before the verdict: dropped
        } else if (s.exchange != null) {
            exchange(s, in);
        } else {
            handshake(s, in);
        }
    }

    private void handshake(Session s, ByteBuffer in) throws IOException {
        HandshakeParser p = s.handshake;
        switch (p.feed(in)) {
            case NEED_MORE -> { }
            case REJECT -> reject(s, p.rejectCode());
            case REQUEST_DONE -> {
                String name = p.privateName();
                String daemonName = segment.name(s.daemon);
                if (name.isEmpty()) {
                    name = directory.inventName(daemonName);
                } else if (directory.nameTaken(name, daemonName)) {
                    reject(s, SpreadConstants.REJECT_NOT_UNIQUE);
                    return;
                }
                s.named(name, daemonName);
                s.wantsMembership = p.wantsMembership();
                directory.register(s);
                if (p.usesAuthPhase()) {
                    s.enqueue(Gatekeeper.authList(s.policy, limits.fullMessageLimits()));
                    connections.flush(s);
                    p.authListSent();
                } else if (s.policy.allowAnonymous()) {
                    authorized(s);
                } else {
                    // an old client without an auth phase cannot authenticate
                    reject(s, SpreadConstants.REJECT_AUTH);
                }
            }
            case CHOICE_DONE -> {
                ServerExchange ex = Gatekeeper.exchangeFor(s.policy, p.chosenMethods());
                if (ex == null) {
                    LOG.info("{}: refused authentication methods {} (offered {})", s, p.chosenMethods(),
                            s.policy.authMethods());
                    reject(s, SpreadConstants.REJECT_AUTH);
                } else if (ex == Gatekeeper.ANONYMOUS) {
                    authorized(s);
                } else {
                    s.exchange = ex;
                    exchange(s, in);
                }
            }
        }
    }

    /** Feeds an authentication exchange; sends what it answers; a finished one gets its verdict (maybe later). */
    private void exchange(Session s, ByteBuffer in) throws IOException {
        ServerExchange ex = s.exchange;
        ServerExchange.Status status = ex.feed(in);
        if (status == ServerExchange.Status.NEED_MORE) {
            byte[] reply = ex.takeReply();
            if (reply.length > 0) {
                s.enqueue(reply);
                connections.flush(s);
            }
            return;
        }
        long now = System.nanoTime();
        Gatekeeper.Verdict v = gatekeeper.verdict(s, ex, status == ServerExchange.Status.ACCEPTED, ex.takeReply(),
                now);
        if (v.due() <= now) {
            answer(v);
        } else {
            s.verdictPending = true;
            gatekeeper.delay(v);
        }
    }

    /** Sends a verdict: the exchange's last reply, then the accept (after the name check) or REJECT_AUTH. */
    void answer(Gatekeeper.Verdict v) {
        Session s = v.session();
        if (s.state != Session.State.HANDSHAKE) {
            return; // the client went away meanwhile
        }
        s.verdictPending = false;
        try {
            if (!v.accepted()) {
                stats.authFailures++;
                s.channel.write(ByteBuffer.wrap(v.reply()));
                reject(s, SpreadConstants.REJECT_AUTH);
                return;
            }
            UserFile.User u = s.policy.user(s.exchange.user());
            s.principal = new Principal(s.exchange.user(), u == null ? java.util.Set.of() : u.roles());
            s.enqueue(v.reply());
            connections.flush(s); // the last reply goes out even if the private name is refused next (as Spread: 01, then f7)
            authorized(s);
        } catch (IOException e) {
            LOG.debug("{}: connection failed: {}", s, e.toString());
            connections.close(s);
        }
        connections.drainDisconnects();
    }

    /** The session is authenticated: open it if it may use its private name (Spread's open_connection check). */
    private void authorized(Session s) throws IOException {
        String problem = Gatekeeper.nameProblem(s.policy, s.principal, s.handshake.privateName());
        if (problem != null) {
            LOG.warn("{} from {}: refused: {}", s, s.remote, problem);
            stats.accessRefusals++;
            reject(s, SpreadConstants.REJECT_AUTH);
            return;
        }
        if (s.principal.user() != null) {
            LOG.info("{} from {} authenticated as user '{}'", s, s.remote, s.principal.user());
        }
        open(s);
    }

    private void open(Session s) throws IOException {
        s.state = Session.State.OPEN;
        s.decoder = FrameDecoder.forDaemon(limits.maxFrameBytes());
        directory.opened();
        stats.sessionsAccepted++;
        s.enqueue(Handshake.accept(SpreadConstants.SP_MAJOR_VERSION, SpreadConstants.SP_MINOR_VERSION,
                SpreadConstants.SP_PATCH_VERSION, s.handshake.acceptWithPatch(), s.privateGroup));
        connections.flush(s);
        LOG.debug("{} opened (client version {}, membership {})", s, s.handshake.version(), s.wantsMembership);
    }

    void reject(Session s, int code) {
        LOG.debug("{}: handshake rejected with {}", s, code);
        stats.handshakeRejects++;
        try {
            s.channel.write(ByteBuffer.wrap(new byte[] {(byte) code}));
        } catch (IOException e) {
            LOG.debug("{}: reject byte not sent: {}", s, e.toString());
        }
        connections.close(s);
    }
}
