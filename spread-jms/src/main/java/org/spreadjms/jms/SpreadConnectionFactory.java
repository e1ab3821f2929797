package org.spreadjms.jms;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;

import org.spreadjms.client.ServiceType;
import org.spreadjms.jms.errors.JmsErrors;

/**
 * The entry point: a JMS ConnectionFactory (also Queue- and TopicConnectionFactory) for a Spread daemon, configured
 * by a URI such as {@code spread://127.0.0.1:4803?persistentServiceType=AGREED} or by bean properties. See
 * {@link SpreadJmsSettings} for the options. Each JMS connection is one Spread session (mailbox).
 *
 * <p>{@code createConnection(user, password)} and {@code createContext(user, password)} authenticate with the daemon
 * (SCRAM-SHA-256 when it offers it, else Spread's PWORD) when the connection is created; a refusal is a
 * JMSSecurityException (JMSSecurityRuntimeException for a context). A daemon without users accepts any credentials.
 *
 * <p>Serializable (JNDI binds it) as its URI, {@link #getBrokerURI()}, which carries every setting.
 */
public class SpreadConnectionFactory implements ConnectionFactory, QueueConnectionFactory, TopicConnectionFactory,
        Serializable {
    private static final long serialVersionUID = 1L;

    /** Written and read as {@link SpreadJmsSettings#toUri()}: one form to keep compatible, not a field layout. */
    private transient SpreadJmsSettings settings;

    /** A factory for {@value SpreadJmsSettings#DEFAULT_URI}. */
    public SpreadConnectionFactory() {
        this(SpreadJmsSettings.DEFAULT_URI);
    }

    /**
     * A factory for a URI.
     *
     * @throws IllegalArgumentException for a malformed URI or unknown options
     */
    public SpreadConnectionFactory(String uri) {
        this.settings = SpreadJmsSettings.fromUri(uri);
    }

    /**
     * Replaces every setting from a URI (bean-style, for containers); a bad URI changes nothing.
     *
     * @throws IllegalArgumentException for a malformed URI or unknown options
     */
    public void setBrokerURI(String uri) {
        this.settings = SpreadJmsSettings.fromUri(uri);
    }

    /** Every setting as a URI: a factory made from it has equal settings. */
    public String getBrokerURI() {
        return settings.toUri();
    }

    /** The live settings (changes affect connections created afterwards). */
    public SpreadJmsSettings getSettings() {
        return settings;
    }

    public void setClientID(String clientID) {
        settings.setClientID(clientID);
    }

    public String getClientID() {
        return settings.getClientID();
    }

    public void setPrivateNamePrefix(String prefix) {
        settings.setPrivateNamePrefix(prefix);
    }

    public void setNonPersistentServiceType(String serviceType) {
        settings.setNonPersistentServiceType(SpreadJmsSettings.serviceType(serviceType));
    }

    public void setPersistentServiceType(String serviceType) {
        settings.setPersistentServiceType(SpreadJmsSettings.serviceType(serviceType));
    }

    public ServiceType getNonPersistentServiceType() {
        return settings.getNonPersistentServiceType();
    }

    public ServiceType getPersistentServiceType() {
        return settings.getPersistentServiceType();
    }

    public void setConnectTimeout(long millis) {
        settings.setConnectTimeout(millis);
    }

    public void setJoinTimeout(long millis) {
        settings.setJoinTimeout(millis);
    }

    public void setRawMessagesAsText(boolean on) {
        settings.setRawMessagesAsText(on);
    }

    public void setConsumerBufferBytes(long bytes) {
        settings.setConsumerBufferBytes(bytes);
    }

    public void setAlwaysSessionAsync(boolean on) {
        settings.setAlwaysSessionAsync(on);
    }

    public void setMaxRedeliveries(int n) {
        settings.setMaxRedeliveries(n);
    }

    public void setDeadLetterQueue(String queue) {
        settings.setDeadLetterQueue(queue);
    }

    public void setDeserializationAllowlist(String list) {
        settings.setDeserializationAllowlist(list);
    }

    @Override
    public Connection createConnection() throws JMSException {
        return withConfiguredUser();
    }

    /** A connection as the {@code user}/{@code password} options say: authenticated, or anonymous without a user. */
    private SpreadJmsConnection withConfiguredUser() throws JMSException {
        return settings.getUser() == null ? new SpreadJmsConnection(settings.copy())
                : authenticated(settings.getUser(), settings.getPassword());
    }

    @Override
    public Connection createConnection(String userName, String password) throws JMSException {
        return authenticated(userName, password);
    }

    private SpreadJmsConnection authenticated(String userName, String password) throws JMSException {
        Credentials c = Credentials.of(userName, password);
        SpreadJmsSettings copy = settings.copy();
        if (c != null) {
            c.verify(copy);
        }
        return new SpreadJmsConnection(copy, c);
    }

    @Override
    public QueueConnection createQueueConnection() throws JMSException {
        return withConfiguredUser();
    }

    @Override
    public QueueConnection createQueueConnection(String userName, String password) throws JMSException {
        return authenticated(userName, password);
    }

    @Override
    public TopicConnection createTopicConnection() throws JMSException {
        return withConfiguredUser();
    }

    @Override
    public TopicConnection createTopicConnection(String userName, String password) throws JMSException {
        return authenticated(userName, password);
    }

    @Override
    public JMSContext createContext() {
        return createContext(JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    public JMSContext createContext(String userName, String password) {
        return createContext(userName, password, JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        SpreadJMSContext.checkSessionMode(sessionMode);
        try {
            return new SpreadJMSContext(authenticated(userName, password), sessionMode);
        } catch (JMSException e) {
            throw JmsErrors.toRuntime(e);
        }
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        SpreadJMSContext.checkSessionMode(sessionMode);
        try {
            return new SpreadJMSContext(withConfiguredUser(), sessionMode);
        } catch (JMSException e) {
            throw JmsErrors.toRuntime(e);
        } catch (JMSRuntimeException e) {
            throw e;
        }
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        out.writeObject(settings.toUri());
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        Object uri = in.readObject();
        if (!(uri instanceof String s)) {
            throw new InvalidObjectException("a SpreadConnectionFactory is serialized as its URI, found "
                    + (uri == null ? "null" : uri.getClass().getName()));
        }
        try {
            settings = SpreadJmsSettings.fromUri(s);
        } catch (IllegalArgumentException e) {
            InvalidObjectException bad = new InvalidObjectException(e.getMessage());
            bad.initCause(e);
            throw bad;
        }
    }

    @Override
    public String toString() {
        return "SpreadConnectionFactory[" + settings.toUri() + "]";
    }
}
