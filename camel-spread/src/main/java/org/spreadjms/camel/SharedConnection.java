package org.spreadjms.camel;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One started JMS connection (one Spread mailbox) shared by every producer and consumer of a component that uses the
 * same ConnectionFactory, opened by the first user and closed by the last. Sharing it is what makes
 * {@code selfDiscard} mean "not sent by this component". Endpoints with different {@code username}s get different
 * connections.
 */
final class SharedConnection {
    private static final Logger LOG = LoggerFactory.getLogger(SharedConnection.class);

    private final ConnectionFactory factory;
    private final String username;
    private final String password;
    private Connection connection;
    private int users;

    SharedConnection(ConnectionFactory factory) {
        this(factory, null, null);
    }

    /** A connection that authenticates as {@code username} (null: anonymous, {@code createConnection()}). */
    SharedConnection(ConnectionFactory factory, String username, String password) {
        this.factory = factory;
        this.username = username;
        this.password = password;
    }

    ConnectionFactory factory() {
        return factory;
    }

    synchronized Connection acquire() throws JMSException {
        if (connection == null) {
            Connection c = username == null ? factory.createConnection()
                    : factory.createConnection(username, password);
            try {
                c.start();
            } catch (JMSException | RuntimeException e) {
                c.close();
                throw e;
            }
            connection = c;
            LOG.info("opened a connection through {}", factory);
        }
        users++;
        return connection;
    }

    synchronized void release() throws JMSException {
        if (users == 0) {
            return;
        }
        if (--users == 0) {
            Connection c = connection;
            connection = null;
            c.close();
            LOG.info("closed the connection through {}", factory);
        }
    }
}
