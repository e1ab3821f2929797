package org.spreadjms.jms;

import java.security.SecureRandom;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionConsumer;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.ServerSessionPool;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.SpreadError;
import org.spreadjms.client.SpreadException;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.client.wire.GroupNames;
import org.spreadjms.jms.errors.JmsErrors;
import org.spreadjms.jms.provider.Provider;
import org.spreadjms.jms.provider.FailoverProvider;
import org.spreadjms.jms.provider.FragmentingProvider;
import org.spreadjms.jms.provider.SpreadProvider;
import org.spreadjms.jms.message.ObjectMessageFilter;
import org.spreadjms.jms.routing.ConsumerRouting;
import org.spreadjms.jms.store.StoreMembers;

/**
 * A JMS connection: one Spread session. It connects lazily, on {@link #setClientID} or the first call other than
 * {@link #getClientID}, {@link #getMetaData} and {@link #setExceptionListener}, so that a client id can still be set as
 * the specification requires. A client id that is a legal Spread private name (at most 10 characters from {@code '$'..'~'}) becomes the
 * session's private name, so the daemon itself refuses a second connection with the same id
 * ({@link InvalidClientIDException}); longer ids are accepted without a uniqueness check.
 */
public final class SpreadJmsConnection implements Connection, QueueConnection, TopicConnection {
    private static final Logger LOG = LoggerFactory.getLogger(SpreadJmsConnection.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SpreadJmsSettings settings;
    private final List<SpreadSession> sessions = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final String connectionId = UUID.randomUUID().toString();
    private final String idPrefix = "ID:" + connectionId + ":";
    private final ConnectionState state = new ConnectionState();
    private final ScheduledExecutorService timer;
    private final ProviderFactory providers;
    private volatile String clientID;
    private volatile boolean clientIdFixed;
    private volatile ExceptionListener exceptionListener;
    private volatile Provider provider;
    private volatile ConsumerRouting routing;
    private volatile SessionContext sessionContext;


    /** Opens the provider stack of a connection, given the private name to ask for ("" lets the daemon pick). */
    @FunctionalInterface
    interface ProviderFactory {
        Provider open(String privateName) throws JMSException;
    }

    private final Credentials credentials;

    SpreadJmsConnection(SpreadJmsSettings settings) throws JMSException {
        this(settings, null, null);
    }

    /** A connection that authenticates with {@code credentials} (null: anonymous). */
    SpreadJmsConnection(SpreadJmsSettings settings, Credentials credentials) throws JMSException {
        this(settings, credentials, null);
    }

    /**
     * A connection over the given provider factory (tests plug a fake provider in here; null for Spread), that
     * authenticates with {@code credentials} (null: anonymous).
     */
    SpreadJmsConnection(SpreadJmsSettings settings, Credentials credentials, ProviderFactory providers)
            throws JMSException {
        this.credentials = credentials;
        this.settings = settings;
        this.providers = providers != null ? providers : this::openProvider;
        this.clientID = settings.getClientID();
        this.clientIdFixed = clientID != null;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spread-jms-timer");
            t.setDaemon(true);
            return t;
        });
    }

    SpreadJmsSettings settings() {
        return settings;
    }

    /** A message id unique to this connection: {@code ID:<connection uuid>:<counter>}. */
    String nextId() {
        return idPrefix + ids.incrementAndGet();
    }

    /** Connects if not yet connected; fixes the client id. Returns what sessions need of the connection. */
    synchronized SessionContext connected() throws JMSException {
        state.checkOpen("connection");
        clientIdFixed = true;
        if (routing == null) {
            String name = privateName();
            Provider p = providers.open(name);
            ConnectionConsumers consumers = new ConnectionConsumers();
            ConsumerRouting r = new ConsumerRouting(p, ObjectMessageFilter.of(settings.getDeserializationAllowlist()),
                    settings.isRawMessagesAsText(), settings.getConsumerBufferMessages(),
                    settings.effectiveConsumerBufferBytes(), settings.joinTimeout(), timer, consumers,
                    this::connectionLost, this::reportProblem);
            TemporaryDestinations temporaries = new TemporaryDestinations(r);
            consumers.attach(r, temporaries);
            try {
                p.start(r.listener());
            } catch (JMSException e) {
                if (e.getCause() instanceof SpreadException se && se.error() == SpreadError.REJECT_NOT_UNIQUE
                        && name.equals(clientID)) {
                    throw JmsErrors.withCause(new InvalidClientIDException("client id '" + clientID
                            + "' is in use by another connection to this daemon"), se);
                }
                throw e;
            }
            sessionContext = new SessionContext(this, settings, DeliverySettings.of(settings),
                    SendSettings.of(settings), state, p, consumers,
                    temporaries, new DeadLetters(settings, p, this::nextId, consumers), timer, sessions::size,
                    this::nextId, sessions::remove, this::reportProblem, clientID);
            provider = p;
            routing = r;
        }
        return sessionContext;
    }

    /**
     * The provider stack: the Spread connection, wrapped for reconnection with a failover URI, wrapped for messages
     * larger than one Spread message.
     */
    private Provider openProvider(String name) {
        FailoverProvider.Connector connector = (daemon, privateName) -> new SpreadProvider(Credentials.apply(
                credentials, SpreadOptions.builder()).daemon(daemon).privateName(privateName)
                .connectTimeout(settings.connectTimeout())
                .receiveBufferBytes(settings.getReceiveBufferBytes()).build(),
                settings.joinTimeout());
        Provider spread = settings.isFailover()
                ? new FailoverProvider(settings.daemons(), name, settings.failoverOptions(), connector)
                : connector.open(settings.daemons().get(0), name);
        return new FragmentingProvider(spread, settings.getMaxMessageBytes(), settings.getReassemblyBufferBytes(),
                settings.fragmentTimeout().toMillis());
    }


    /** The provider, connecting first if needed (tests and diagnostics). */
    Provider provider() throws JMSException {
        return connected().provider();
    }

    private String privateName() {
        String id = clientID;
        // a client id that looks like a store member's private name is not used as one (store members take no
        // queue messages, docs/store-protocol.md)
        if (id != null && isPrivateName(id) && !id.startsWith(StoreMembers.PRIVATE_NAME_PREFIX)) {
            return id;
        }
        String prefix = settings.getPrivateNamePrefix();
        if (prefix.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(prefix);
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        while (sb.length() < 10) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static boolean isPrivateName(String s) {
        if (s.isEmpty() || s.length() > 10) {
            return false;
        }
        for (char c : s.toCharArray()) {
            if (!GroupNames.isLegalNameByte(c)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Session createSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return createSession(transacted ? Session.SESSION_TRANSACTED : acknowledgeMode);
    }

    @Override
    public Session createSession(int sessionMode) throws JMSException {
        if (sessionMode < Session.SESSION_TRANSACTED || sessionMode > Session.DUPS_OK_ACKNOWLEDGE) {
            throw new JMSException("session mode " + sessionMode + " is not one of SESSION_TRANSACTED (0),"
                    + " AUTO_ACKNOWLEDGE (1), CLIENT_ACKNOWLEDGE (2), DUPS_OK_ACKNOWLEDGE (3)");
        }
        SpreadSession s = new SpreadSession(connected(), sessionMode);
        sessions.add(s);
        return s;
    }

    @Override
    public Session createSession() throws JMSException {
        return createSession(Session.AUTO_ACKNOWLEDGE);
    }

    @Override
    public QueueSession createQueueSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return (QueueSession) createSession(transacted, acknowledgeMode);
    }

    @Override
    public TopicSession createTopicSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return (TopicSession) createSession(transacted, acknowledgeMode);
    }

    @Override
    public String getClientID() throws JMSException {
        state.checkOpen("connection");
        return clientID;
    }

    @Override
    public void setClientID(String id) throws JMSException {
        state.checkOpen("connection");
        if (clientIdFixed) {
            throw new IllegalStateException("the client id can only be set right after the connection is created,"
                    + " and only once (it is " + (clientID == null ? "fixed" : "'" + clientID + "'") + ")");
        }
        if (id == null || id.isEmpty()) {
            throw new InvalidClientIDException("client id must not be null or empty");
        }
        clientID = id;
        try {
            // connect now, so that a duplicate id is reported here, as the specification wants
            connected();
        } catch (JMSException e) {
            clientID = null;
            clientIdFixed = false;
            throw e;
        }
    }

    @Override
    public ConnectionMetaData getMetaData() throws JMSException {
        state.checkOpen("connection");
        return new SpreadConnectionMetaData();
    }

    @Override
    public ExceptionListener getExceptionListener() throws JMSException {
        state.checkOpen("connection");
        return exceptionListener;
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) throws JMSException {
        state.checkOpen("connection");
        this.exceptionListener = listener;
    }

    @Override
    public void start() throws JMSException {
        connected();
        state.start();
        sessions.forEach(SpreadSession::wake);
    }

    @Override
    public void stop() throws JMSException {
        state.checkOpen("connection");
        SpreadSession.checkNotInListenerOf(this, "stop");
        state.stop();
        for (SpreadSession s : sessions) {
            s.awaitListenerIdle();
        }
    }

    @Override
    public void close() throws JMSException {
        if (state.isClosed()) {
            return;
        }
        // before marking the connection closing: a refused close must leave it usable
        SpreadSession.checkNotInListenerOf(this, "close");
        CompletionCallbacks.checkNotInCompletionOfConnection(this, "close");
        if (!state.markClosing()) {
            return;
        }
        for (SpreadSession s : sessions) {
            s.close();
        }
        SessionContext c = sessionContext;
        if (c != null) {
            c.temporaries().closeAll();
            c.consumers().routing().close();
        }
        Provider p = provider;
        if (p != null) {
            p.close();
        }
        timer.shutdownNow();
        state.markClosed();
    }

    /** Reports a lost Spread connection to the ExceptionListener, once. */
    void connectionLost(JMSException cause) {
        LOG.warn("JMS connection {} lost its Spread connection: {}", connectionId, cause.getMessage());
        state.markFailed(cause);
        sessions.forEach(SpreadSession::wake);
        ExceptionListener l = exceptionListener;
        if (l != null) {
            try {
                l.onException(cause);
            } catch (RuntimeException e) {
                LOG.warn("ExceptionListener threw", e);
            }
        }
    }

    /**
     * Tells the ExceptionListener of trouble that does not end the connection (dropped or refused messages), on the
     * timer thread: never on the thread that routes messages, never under the caller's locks.
     */
    void reportProblem(JMSException problem) {
        ExceptionListener l = exceptionListener;
        if (l == null) {
            return;
        }
        try {
            timer.execute(() -> {
                try {
                    l.onException(problem);
                } catch (RuntimeException e) {
                    LOG.warn("ExceptionListener threw", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("connection closed: not reporting {}", problem.getMessage());
        }
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Destination destination, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw notSupported("connection consumers (application-server facility)");
    }

    @Override
    public ConnectionConsumer createSharedConnectionConsumer(Topic topic, String subscriptionName,
                                                             String messageSelector, ServerSessionPool sessionPool,
                                                             int maxMessages) throws JMSException {
        throw notSupported("connection consumers (application-server facility)");
    }

    @Override
    public ConnectionConsumer createDurableConnectionConsumer(Topic topic, String subscriptionName,
                                                              String messageSelector, ServerSessionPool sessionPool,
                                                              int maxMessages) throws JMSException {
        throw notSupported("connection consumers (application-server facility)");
    }

    @Override
    public ConnectionConsumer createSharedDurableConnectionConsumer(Topic topic, String subscriptionName,
                                                                    String messageSelector,
                                                                    ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw notSupported("connection consumers (application-server facility)");
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Queue queue, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw notSupported("connection consumers (application-server facility)");
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Topic topic, String messageSelector,
                                                       ServerSessionPool sessionPool, int maxMessages)
            throws JMSException {
        throw notSupported("connection consumers (application-server facility)");
    }

    static JMSException notSupported(String what) {
        return new JMSException("spread-jms does not support " + what);
    }

    @Override
    public String toString() {
        Provider p = provider;
        return "SpreadJmsConnection[" + (p != null ? p.privateGroup() : "not connected") + ", clientID=" + clientID
                + "]";
    }
}
