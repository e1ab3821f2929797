package org.spreadjms.jms.jndi;

import java.util.HashMap;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Map;

import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.spi.InitialContextFactory;

import jakarta.jms.JMSException;

import org.spreadjms.jms.SpreadConnectionFactory;
import org.spreadjms.jms.SpreadJmsSettings;
import org.spreadjms.jms.destination.SpreadQueue;
import org.spreadjms.jms.destination.SpreadTopic;

/**
 * JNDI for plain Java applications, reading the widely used {@code jndi.properties} format (as ActiveMQ and Qpid JMS
 * do), so an application switches to Spread by changing that file alone:
 *
 * <pre>
 * java.naming.factory.initial = org.spreadjms.jms.jndi.SpreadInitialContextFactory
 * java.naming.provider.url    = spread://127.0.0.1:4803
 * connectionFactory.orders    = spread://127.0.0.1:4803?persistentServiceType=AGREED
 * queue.work                  = work
 * topic.events                = orders.events
 * </pre>
 *
 * <ul>
 *   <li>{@code connectionFactory.<name>} (or {@code connectionfactory.<name>}) binds a factory for a URI.</li>
 *   <li>Without any, {@code ConnectionFactory}, {@code QueueConnectionFactory} and {@code TopicConnectionFactory} are
 *       bound to {@code java.naming.provider.url} (default {@code spread://127.0.0.1:4803}).</li>
 *   <li>{@code queue.<name>} and {@code topic.<name>} bind destinations.</li>
 *   <li>{@code dynamicQueues/<queue>} and {@code dynamicTopics/<topic>} look-ups create destinations on the fly.</li>
 * </ul>
 * A bad URI or destination name fails the context creation with a NamingException naming the entry.
 */
public final class SpreadInitialContextFactory implements InitialContextFactory {
    static final String CONNECTION_FACTORY_PREFIX = "connectionfactory.";
    static final String QUEUE_PREFIX = "queue.";
    static final String TOPIC_PREFIX = "topic.";

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) throws NamingException {
        Hashtable<Object, Object> env = new Hashtable<>();
        if (environment != null) {
            env.putAll(environment);
        }
        Map<String, Object> bindings = new HashMap<>();
        boolean factories = false;
        for (Map.Entry<Object, Object> e : env.entrySet()) {
            if (!(e.getKey() instanceof String key) || !(e.getValue() instanceof String value)) {
                continue;
            }
            String lower = key.toLowerCase(Locale.ROOT);
            if (lower.startsWith(CONNECTION_FACTORY_PREFIX)) {
                bindings.put(key.substring(CONNECTION_FACTORY_PREFIX.length()), factory(key, value));
                factories = true;
            } else if (key.startsWith(QUEUE_PREFIX)) {
                bindings.put(key.substring(QUEUE_PREFIX.length()), queue(key, value));
            } else if (key.startsWith(TOPIC_PREFIX)) {
                bindings.put(key.substring(TOPIC_PREFIX.length()), topic(key, value));
            }
        }
        if (!factories) {
            Object url = env.get(Context.PROVIDER_URL);
            String uri = url instanceof String s && !s.isBlank() ? s : SpreadJmsSettings.DEFAULT_URI;
            SpreadConnectionFactory f = factory(Context.PROVIDER_URL, uri);
            bindings.put("ConnectionFactory", f);
            bindings.put("QueueConnectionFactory", f);
            bindings.put("TopicConnectionFactory", f);
        }
        return new ReadOnlyContext(env, bindings);
    }

    private static SpreadConnectionFactory factory(String key, String uri) throws NamingException {
        try {
            return new SpreadConnectionFactory(uri);
        } catch (IllegalArgumentException e) {
            throw naming("JNDI entry " + key + "=" + uri + ": " + e.getMessage(), e);
        }
    }

    static SpreadQueue queue(String key, String name) throws NamingException {
        try {
            return new SpreadQueue(name);
        } catch (JMSException e) {
            throw naming("JNDI entry " + key + "=" + name + ": " + e.getMessage(), e);
        }
    }

    static SpreadTopic topic(String key, String name) throws NamingException {
        try {
            return new SpreadTopic(name);
        } catch (JMSException e) {
            throw naming("JNDI entry " + key + "=" + name + ": " + e.getMessage(), e);
        }
    }

    static NamingException naming(String message, Exception cause) {
        NamingException n = new NamingException(message);
        n.setRootCause(cause);
        return n;
    }
}
