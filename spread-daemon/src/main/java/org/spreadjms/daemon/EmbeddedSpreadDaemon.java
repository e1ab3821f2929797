package org.spreadjms.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.wire.GroupNames;

/**
 * A single-node Spread daemon that speaks the Spread 4 client protocol, for tests and small deployments. Unmodified
 * Spread clients (the C library, the official Java client, this project's client) connect to it as to a real
 * daemon.
 *
 * <pre>{@code
 * try (EmbeddedSpreadDaemon daemon = EmbeddedSpreadDaemon.builder().port(0).build().start()) {
 *     connect to daemon.port() on 127.0.0.1 ...
 * }
 * }</pre>
 *
 * <p>One thread does all the work (see {@link SelectorLoop}): every validated message, join, leave and disconnect is
 * applied in the one order in which it was read, which gives every Spread service level at once. Group ids are
 * (bind address as an IPv4 int, start time in seconds, per-group index); a daemon bound to a wildcard or IPv6 address
 * uses 127.0.0.1 for the first part.
 */
public final class EmbeddedSpreadDaemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSpreadDaemon.class);
    private static final int LOOPBACK_PROC_ID = 0x7F000001;
    private static final int ACCEPT_BACKLOG = 1024;
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final int requestedPort;
    private final InetAddress bindAddress;
    private final String name;
    private final DaemonLimits limits;
    private final Duration congestionTimeout;
    private final DaemonStats stats = new DaemonStats();
    private final SecurityFiles security;
    private final Duration authFailureDelay;
    private final Object lifecycle = new Object();
    private volatile int port = -1;
    private SelectorLoop loop;
    private Thread thread;
    private boolean started;

    private EmbeddedSpreadDaemon(Builder b) {
        this.requestedPort = b.port;
        this.bindAddress = b.bindAddress;
        this.name = b.name;
        this.limits = b.limits;
        this.congestionTimeout = b.congestionTimeout;
        this.security = new SecurityFiles(b.usersFile, b.aclFile, b.allowAnonymous, b.pword, b.securityPollInterval);
        this.authFailureDelay = b.authFailureDelay;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts the selector thread. A daemon starts once; after {@link #stop()} build a new one.
     *
     * @return this daemon
     * @throws IOException if the port cannot be bound
     */
    public EmbeddedSpreadDaemon start() throws IOException {
        synchronized (lifecycle) {
            if (started) {
                throw new IllegalStateException("daemon " + name + " was already started");
            }
            started = true;
            security.load();
            Selector selector = Selector.open();
            ServerSocketChannel server = ServerSocketChannel.open();
            try {
                server.bind(new InetSocketAddress(bindAddress, requestedPort), ACCEPT_BACKLOG);
                server.configureBlocking(false);
                server.register(selector, SelectionKey.OP_ACCEPT, 0);
            } catch (IOException | RuntimeException e) {
                server.close();
                selector.close();
                throw e;
            }
            port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            int time = (int) Instant.now().getEpochSecond();
            Segment segment = new Segment(List.of(name), procId(bindAddress), time);
            GroupRegistry groups = new GroupRegistry(segment);
            loop = new SelectorLoop(selector, List.of(server), segment, limits, congestionTimeout, groups, stats,
                    new Gatekeeper(security, new LoginThrottle(authFailureDelay)));
            security.startWatching();
            thread = new Thread(loop, "spread-daemon-" + port);
            thread.setDaemon(true);
            thread.start();
            LOG.info("Spread daemon '{}' listening on {}:{}", name, bindAddress.getHostAddress(), port);
            return this;
        }
    }

    /** Closes every connection and the listening socket, and waits (bounded) for the selector thread to end. */
    public void stop() {
        Thread t;
        synchronized (lifecycle) {
            if (loop == null) {
                return;
            }
            loop.stop();
            loop = null;
            security.close();
            t = thread;
            thread = null;
        }
        try {
            t.join(STOP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warn("Spread daemon '{}' thread did not end within {}", name, STOP_WAIT);
        } else {
            LOG.info("Spread daemon '{}' on port {} stopped", name, port);
        }
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        synchronized (lifecycle) {
            return loop != null;
        }
    }

    /** The bound port; -1 before {@link #start()}. */
    public int port() {
        return port;
    }

    /** The daemon name, the part after the second {@code #} of private group names. */
    public String name() {
        return name;
    }

    public InetAddress bindAddress() {
        return bindAddress;
    }

    /** The address in Spread's {@code port@host} notation. */
    public String spreadAddress() {
        return port + "@" + bindAddress.getHostAddress();
    }

    public DaemonLimits limits() {
        return limits;
    }

    /**
     * Loads the user file and the ACL again now (the CLI calls this on SIGHUP; changed files are also picked up by
     * themselves within the poll interval). A file that does not parse leaves the current ones in force.
     *
     * @return whether the new files are in force
     */
    public boolean reloadSecurity() {
        return security.reload();
    }

    /** Increases each time the user file and ACL are (re)loaded. */
    public long securityGeneration() {
        return security.generation();
    }

    public DaemonCounters counters() {
        return stats.snapshot();
    }

    @Override
    public String toString() {
        return "EmbeddedSpreadDaemon[" + name + " at " + spreadAddress() + "]";
    }

    private static int procId(InetAddress address) {
        if (address instanceof Inet4Address && !address.isAnyLocalAddress()) {
            return ByteBuffer.wrap(address.getAddress()).getInt();
        }
        return LOOPBACK_PROC_ID;
    }

    /** Options of an {@link EmbeddedSpreadDaemon}; every one has a default. */
    public static final class Builder {
        private int port;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private String name = "localhost";
        private DaemonLimits limits = DaemonLimits.defaults();
        private Duration congestionTimeout = Duration.ofSeconds(10);
        private Path usersFile;
        private Path aclFile;
        private Boolean allowAnonymous;
        private boolean pword;
        private Duration authFailureDelay = Duration.ofMillis(500);
        private Duration securityPollInterval = Duration.ofSeconds(1);

        private Builder() {
        }

        /**
         * The user file (see {@link UserFile}): clients authenticate with SCRAM-SHA-256 (and PWORD if enabled).
         * Without one (the default) there are no users and every client is anonymous.
         */
        public Builder users(Path file) {
            this.usersFile = file;
            return this;
        }

        /** The access control list (see {@code AccessControlList}); without one (the default) everything is allowed. */
        public Builder acl(Path file) {
            this.aclFile = file;
            return this;
        }

        /** Whether clients may connect without credentials (NULL). Default: yes without a user file, no with one. */
        public Builder allowAnonymous(boolean allow) {
            this.allowAnonymous = allow;
            return this;
        }

        /**
         * Also offer Spread 4's PWORD method (user and at most 8 bytes of password in clear text, for clients built
         * with Spread's own library). Default off: SCRAM-SHA-256 never sends the password.
         */
        public Builder pword(boolean offer) {
            this.pword = offer;
            return this;
        }

        /** First penalty of the login throttle after a refused authentication; doubles per failure. Default 500 ms. */
        public Builder authFailureDelay(Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException("authFailureDelay is " + value + " (must be zero or positive)");
            }
            this.authFailureDelay = value;
            return this;
        }

        /** How often the user file and ACL are checked for changes. Default 1 s. */
        public Builder securityPollInterval(Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("securityPollInterval is " + value + " (must be positive)");
            }
            this.securityPollInterval = value;
            return this;
        }

        /** TCP port; 0 (the default) picks a free one, see {@link EmbeddedSpreadDaemon#port()}. */
        public Builder port(int port) {
            if (port < 0 || port > 0xFFFF) {
                throw new IllegalArgumentException("port is " + port + " (must be 0..65535)");
            }
            this.port = port;
            return this;
        }

        /** Address to listen on; default the loopback address 127.0.0.1. */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Address to listen on, by name or literal. */
        public Builder bindAddress(String host) {
            try {
                return bindAddress(InetAddress.getByName(host));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot resolve bind address '" + host + "'", e);
            }
        }

        /** Daemon name: 1..19 characters from '$' to '~'; default {@code localhost}. */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty() || name.length() > GroupNames.MAX_DAEMON_NAME_LENGTH) {
                throw new IllegalArgumentException("daemon name '" + name + "' is " + name.length()
                        + " characters (must be 1.." + GroupNames.MAX_DAEMON_NAME_LENGTH + ")");
            }
            for (int i = 0; i < name.length(); i++) {
                if (!GroupNames.isLegalNameByte(name.charAt(i))) {
                    throw new IllegalArgumentException("daemon name '" + name + "' has an illegal character at index "
                            + i + " (only '$' through '~' allowed)");
                }
            }
            this.name = name;
            return this;
        }

        public Builder limits(DaemonLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Connections kept at once; the next one is refused with REJECT_QUOTA. Default 997. */
        public Builder maxSessions(int value) {
            this.limits = limits.withMaxSessions(value);
            return this;
        }

        /** Frames queued for one session before it is cut off as a slow client. Default 1000. */
        public Builder maxQueuedMessages(int value) {
            this.limits = limits.withMaxQueuedMessages(value);
            return this;
        }

        /**
         * Groups one session may be in (default 10,000) and groups the daemon keeps (default 100,000); a join beyond
         * either drops the joining session. Not Spread limits: they bound the memory clients can make the daemon use.
         */
        public Builder groupLimits(int perSession, int total) {
            this.limits = limits.withGroupLimits(perSession, total);
            return this;
        }

        /**
         * Bytes of frames queued for one session before it is cut off (default 16 MiB); senders to it are paused at
         * half of this, as at half of {@link #maxQueuedMessages}. Not a Spread limit.
         */
        public Builder maxQueuedBytes(long value) {
            this.limits = limits.withMaxQueuedBytes(value);
            return this;
        }

        /** Time a new connection has to complete its handshake. Default 1 s. */
        public Builder handshakeTimeout(Duration value) {
            this.limits = limits.withHandshakeTimeout(value);
            return this;
        }

        /**
         * How long a session may stay congested (half its queue limit waiting, the clients that send to it not read
         * meanwhile) before it is cut off (see {@code Backpressure}). Default 10 s.
         */
        public Builder congestionTimeout(Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("congestionTimeout is " + value + " (must be positive)");
            }
            this.congestionTimeout = value;
            return this;
        }

        public EmbeddedSpreadDaemon build() {
            return new EmbeddedSpreadDaemon(this);
        }

        /** Builds and starts the daemon. */
        public EmbeddedSpreadDaemon start() throws IOException {
            return build().start();
        }
    }
}
