package org.spreadjms.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;
import org.spreadjms.jms.SpreadConnectionFactory;
import org.spreadjms.jms.store.PersistentMessages;
import org.spreadjms.jms.store.StoredMessage;
import org.spreadjms.store.log.FsyncPolicy;

/** What a real spread-jms producer sends: the store keeps the PERSISTENT messages, by their JMSMessageID. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JmsEnvelopeStoreTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    @TempDir
    Path dir;

    @Test
    void keepsPersistentJmsMessagesByTheirMessageIdAndSkipsNonPersistentOnes() throws Exception {
        String topic = "jmsstored";
        StoreMemberOptions o = new StoreMemberOptions(daemon.port() + "@127.0.0.1", "sj", dir, FsyncPolicy.always(),
                List.of(topic), "$store.jms", 1, StoreClient.WAIT, 64L << 20);
        List<String> persistentIds = new ArrayList<>();
        try (StoreMember member = StoreMember.start(o);
             StoreClient fence = new StoreClient(daemon.port(), "fj")) {
            member.awaitServing(StoreClient.WAIT);
            try (Connection c = new SpreadConnectionFactory("spread://127.0.0.1:" + daemon.port())
                    .createConnection()) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = s.createProducer(s.createTopic(topic));
                for (int i = 0; i < 6; i++) {
                    TextMessage m = s.createTextMessage("text " + i);
                    int mode = i % 2 == 0 ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT;
                    p.send(m, mode, 4, 0);
                    if (mode == DeliveryMode.PERSISTENT) {
                        persistentIds.add(m.getJMSMessageID());
                    }
                }
            }
            // the producer's connection is closed; a keyed message after it marks the end of its stream
            fence.send(topic, "fence");
            fence.awaitStored(List.of(member.privateGroup()), java.util.Set.of("fence"), StoreClient.WAIT);
            List<StoredMessage> stored = member.log().read(topic, 1, 100, Long.MAX_VALUE);
            List<String> ids = new ArrayList<>();
            for (StoredMessage m : stored) {
                if (m.messType() == PersistentMessages.JMS_ENVELOPE) {
                    ids.add(m.key().id());
                }
            }
            assertEquals(persistentIds, ids, "the PERSISTENT ones, in send order, by JMSMessageID");
            assertEquals(3, new HashSet<>(ids).size());
        }
    }
}
