package org.spreadjms.jms;

import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.SpreadAddress;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadException;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.jms.errors.JmsErrors;

/**
 * The user and password of a connection ({@code createConnection(user, password)}), checked when the connection is
 * created, as JMS requires: a short Spread session with a daemon-chosen private name authenticates and disconnects
 * (the JMS connection itself connects later, once its client id is fixed). A daemon without users accepts any
 * credentials, as a broker without security does. An unreachable daemon is not an authentication failure: the error
 * comes when the connection is first used, as without credentials.
 */
record Credentials(String user, String password) {
    private static final Logger LOG = LoggerFactory.getLogger(Credentials.class);

    /** Credentials from the JMS arguments: a null or empty user means anonymous. */
    static Credentials of(String user, String password) throws JMSSecurityException {
        if (user == null || user.isEmpty()) {
            return null;
        }
        Credentials c = new Credentials(user, password == null ? "" : password);
        try {
            SpreadOptions.builder().credentials(c.user, c.password);
        } catch (IllegalArgumentException e) {
            throw JmsErrors.withCause(new JMSSecurityException("user '" + user + "' is not a valid user name: "
                    + e.getMessage()), e);
        }
        return c;
    }

    /** Puts the credentials (if any) on a client options builder. */
    static SpreadOptions.Builder apply(Credentials c, SpreadOptions.Builder b) {
        return c == null ? b : b.credentials(c.user, c.password);
    }

    /** Authenticates with the first daemon of the settings that answers. */
    void verify(SpreadJmsSettings settings) throws JMSException {
        for (SpreadAddress daemon : settings.daemons()) {
            try {
                SpreadConnection.connect(apply(this, SpreadOptions.builder().daemon(daemon)
                        .membershipMessages(false).connectTimeout(settings.connectTimeout())).build()).disconnect();
                return;
            } catch (SpreadException.AuthenticationException e) {
                throw JmsErrors.withCause(new JMSSecurityException("the Spread daemon at " + daemon
                        + " refused user '" + user + "': " + e.getMessage(), "REJECT_AUTH"), e);
            } catch (SpreadException e) {
                LOG.debug("credentials not checked with {}: {}", daemon, e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return "Credentials[" + user + "]";
    }
}
