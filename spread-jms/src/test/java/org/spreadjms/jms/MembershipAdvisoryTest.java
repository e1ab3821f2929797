package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.MapMessage;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MembershipAdvisoryTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private static String privateGroup(Connection c) throws Exception {
        return ((SpreadJmsConnection) c).provider().privateGroup();
    }

    @Test
    void advisoryConsumerSeesJoinAndLeaveOfAMember() throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon);
        String name = JmsTestSupport.unique("adv.leave");
        try (Connection watcher = JmsTestSupport.started(f); Connection member = JmsTestSupport.started(f)) {
            Session ws = watcher.createSession();
            MessageConsumer advisories = ws.createConsumer(ws.createTopic("Spread.Membership." + name));
            assertEquals("JOIN", JmsTestSupport.receive(advisories, MapMessage.class).getString("reason"));
            Session ms = member.createSession();
            MessageConsumer sub = ms.createConsumer(ms.createTopic(name));
            MapMessage join = JmsTestSupport.receive(advisories, MapMessage.class);
            assertEquals("JOIN", join.getString("reason"));
            assertEquals(name, join.getString("group"));
            assertEquals(name, join.getString("destination"));
            assertEquals(privateGroup(member), join.getString("changedMembers"));
            assertEquals(2, join.getInt("memberCount"));
            assertEquals(List.of(join.getString("members").split(",")).size(), 2);
            sub.close();
            MapMessage leave = JmsTestSupport.receive(advisories, MapMessage.class);
            assertEquals("LEAVE", leave.getString("reason"));
            assertEquals(privateGroup(member), leave.getString("changedMembers"));
            assertEquals(1, leave.getInt("memberCount"));
            assertFalse(leave.getString("members").contains(privateGroup(member)));
        }
    }

    @Test
    void closingAMemberConnectionIsReportedAsLeaveOrDisconnect() throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon);
        String name = JmsTestSupport.unique("adv.close");
        try (Connection watcher = JmsTestSupport.started(f)) {
            Session ws = watcher.createSession();
            Topic advisoryTopic = ws.createTopic("Spread.Membership." + name);
            MessageConsumer advisories = ws.createConsumer(advisoryTopic);
            JmsTestSupport.receive(advisories, MapMessage.class);
            Connection member = JmsTestSupport.started(f);
            String memberGroup = privateGroup(member);
            Session ms = member.createSession();
            ms.createConsumer(ms.createTopic(name));
            assertEquals("JOIN", JmsTestSupport.receive(advisories, MapMessage.class).getString("reason"));
            member.close();
            MapMessage gone = JmsTestSupport.receive(advisories, MapMessage.class);
            assertTrue(List.of("LEAVE", "DISCONNECT").contains(gone.getString("reason")), gone.getString("reason"));
            assertEquals(memberGroup, gone.getString("changedMembers"));
            assertEquals(advisoryTopic, gone.getJMSDestination());
        }
    }

    @Test
    void plainSpreadClientDisconnectIsReportedAsDisconnect() throws Exception {
        String name = JmsTestSupport.unique("adv.raw");
        try (Connection watcher = JmsTestSupport.started(JmsTestSupport.factory(daemon))) {
            Session ws = watcher.createSession();
            MessageConsumer advisories = ws.createConsumer(ws.createTopic("Spread.Membership." + name));
            JmsTestSupport.receive(advisories, MapMessage.class);
            RawSpreadClient raw = new RawSpreadClient(daemon).join(name);
            assertEquals("JOIN", JmsTestSupport.receive(advisories, MapMessage.class).getString("reason"));
            raw.close();
            MapMessage gone = JmsTestSupport.receive(advisories, MapMessage.class);
            assertEquals("DISCONNECT", gone.getString("reason"));
            assertEquals(raw.connection().privateGroup(), gone.getString("changedMembers"));
        }
    }
}
