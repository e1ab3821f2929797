package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TransactionRolledBackException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.daemon.EmbeddedSpreadDaemon;

/** A commit whose sends cannot go out (the daemon is gone) fails as a rolled-back transaction, not a hang. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TransactionFailureTest {
    @Test
    void commitWithTheDaemonGoneThrowsTransactionRolledBack() throws Exception {
        EmbeddedSpreadDaemon d = EmbeddedSpreadDaemon.builder().port(0).start();
        try (Connection c = new SpreadConnectionFactory("spread://127.0.0.1:" + d.port()).createConnection()) {
            Session s = c.createSession(Session.SESSION_TRANSACTED);
            MessageProducer p = s.createProducer(s.createTopic("tx.fail"));
            p.send(s.createTextMessage("one"));
            p.send(s.createTextMessage("two"));
            d.stop();
            TransactionRolledBackException e = assertThrows(TransactionRolledBackException.class, s::commit);
            assertTrue(e.getMessage().contains("of 2 sends"), e.getMessage());
            assertTrue(e.getLinkedException() != null);
        } finally {
            d.stop();
        }
    }
}
