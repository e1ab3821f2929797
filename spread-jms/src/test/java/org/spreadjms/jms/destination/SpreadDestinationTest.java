package org.spreadjms.jms.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpreadDestinationTest {

    @Test
    void topicAndQueueExposeNameGroupOptionsAndToString() throws JMSException {
        SpreadTopic t = new SpreadTopic("orders?serviceType=AGREED");
        assertEquals("orders", t.getName());
        assertEquals("orders", t.getTopicName());
        assertEquals("orders", t.spreadGroup());
        assertEquals(Map.of("serviceType", "AGREED"), t.options());
        assertEquals("topic://orders", t.toString());
        assertEquals(SpreadDestination.Kind.TOPIC, t.kind());
        SpreadQueue q = new SpreadQueue("work item");
        assertEquals("work item", q.getQueueName());
        assertEquals(DestinationNames.groupFor("work item"), q.spreadGroup());
        assertEquals("queue://work item", q.toString());
    }

    @Test
    void equalityIsOnKindAndNameIgnoringOptions() throws JMSException {
        assertEquals(new SpreadTopic("a"), new SpreadTopic("a?x=1"));
        assertEquals(new SpreadTopic("a").hashCode(), new SpreadTopic("a?x=1").hashCode());
        assertNotEquals(new SpreadTopic("a"), new SpreadQueue("a"));
        assertNotEquals(new SpreadTopic("a"), new SpreadTopic("b"));
    }

    @Test
    void destinationsSortByKindThenName() throws JMSException {
        TreeSet<SpreadDestination> set = new TreeSet<>(List.of(new SpreadQueue("a"), new SpreadTopic("b"),
                new SpreadTopic("a")));
        assertEquals(List.of("topic://a", "topic://b", "queue://a"), set.stream().map(Object::toString).toList());
    }

    @Test
    void emptyNamesAreInvalid() {
        assertThrowsExactly(InvalidDestinationException.class, () -> new SpreadTopic(""));
        assertThrowsExactly(InvalidDestinationException.class, () -> new SpreadQueue("?x=1"));
        assertThrowsExactly(InvalidDestinationException.class, () -> new SpreadQueue(null));
    }

    @Test
    void queueNamedLikeAPrivateGroupMapsToIt() throws JMSException {
        assertEquals("#bob#host", new SpreadQueue("#bob#host").spreadGroup());
        assertThrowsExactly(InvalidDestinationException.class, () -> new SpreadQueue("#bob"));
    }

    @Test
    void temporaryQueueLivesInTheOwnersPrivateGroup() throws JMSException {
        SpreadTemporaryQueue q = new SpreadTemporaryQueue("#alice#localhost", "3", null);
        assertEquals("#alice#localhost/3", q.getQueueName());
        assertEquals("#alice#localhost", q.spreadGroup());
        assertEquals("#alice#localhost", q.ownerPrivateGroup());
        assertEquals("3", q.subAddress());
        assertEquals("temp-queue://#alice#localhost/3", q.toString());
        assertEquals(q, SpreadTemporaryQueue.fromName(q.getQueueName()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "a b"})
    void temporaryQueueRefusesBadSubAddresses(String sub) {
        assertThrowsExactly(InvalidDestinationException.class, () -> new SpreadTemporaryQueue("#a#d", sub, null));
    }

    @Test
    void temporaryQueueRefusesABadOwner() {
        assertThrowsExactly(InvalidDestinationException.class, () -> new SpreadTemporaryQueue("alice", "1", null));
    }

    @Test
    void temporaryTopicHasAUniqueGeneratedGroup() throws JMSException {
        SpreadTemporaryTopic a = SpreadTemporaryTopic.create("#a#d", "1", () -> { });
        SpreadTemporaryTopic b = SpreadTemporaryTopic.create("#a#d", "1", () -> { });
        assertNotEquals(a, b);
        assertEquals(a.getTopicName(), a.spreadGroup());
        assertTrue(DestinationNames.isLegalGroupName(a.spreadGroup()));
        assertEquals("#a#d", a.ownerPrivateGroup());
        assertEquals("1", a.subAddress());
    }

    @Test
    void deleteRunsTheCreatorsCallbackAndPropagatesItsException() throws JMSException {
        AtomicInteger deleted = new AtomicInteger();
        SpreadTemporaryQueue q = new SpreadTemporaryQueue("#a#d", "1", deleted::incrementAndGet);
        q.delete();
        assertEquals(1, deleted.get());
        assertTrue(q.isOwned());
        SpreadTemporaryTopic t = SpreadTemporaryTopic.create("#a#d", "2", () -> {
            throw new IllegalStateException("consumers still open");
        });
        IllegalStateException e = assertThrowsExactly(IllegalStateException.class, t::delete);
        assertEquals("consumers still open", e.getMessage());
    }

    @Test
    void receivedTemporaryDestinationsCannotBeDeleted() throws JMSException {
        SpreadDestination q = SpreadDestination.parse("tq:#a#d/1");
        assertFalse(((SpreadTemporaryQueue) q).isOwned());
        assertThrowsExactly(IllegalStateException.class, ((SpreadTemporaryQueue) q)::delete);
        SpreadDestination t = SpreadDestination.parse("tt:tt~abc");
        assertThrowsExactly(IllegalStateException.class, ((SpreadTemporaryTopic) t)::delete);
    }

    @Test
    void encodeAndParseRoundTripEveryKind() throws JMSException {
        List<SpreadDestination> all = List.of(new SpreadTopic("orders?x=1"), new SpreadQueue("work"),
                new SpreadQueue("with space/and:colon"), new SpreadTopic("\u00fcber"),
                new SpreadTemporaryQueue("#alice#localhost", "3", null),
                SpreadTemporaryTopic.create("#a#d", "1", null));
        for (SpreadDestination d : all) {
            SpreadDestination back = SpreadDestination.parse(d.encode());
            assertEquals(d, back);
            assertEquals(d.getClass(), back.getClass());
            assertEquals(d.spreadGroup(), back.spreadGroup());
        }
        assertEquals("t:orders", new SpreadTopic("orders?x=1").encode());
        assertEquals("tq:#alice#localhost/3", new SpreadTemporaryQueue("#alice#localhost", "3", null).encode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "orders", "x:orders", "t:", "q:", "tq:#a#d", "tq:nohash/1", "tt:1bad", "t:a?b=c"})
    void parseRefusesMalformedForms(String encoded) {
        assertThrowsExactly(InvalidDestinationException.class, () -> SpreadDestination.parse(encoded));
    }

    @Test
    void foreignTopicsAreRebuiltByName() throws JMSException {
        Topic foreign = () -> "prices";
        assertEquals(new SpreadTopic("prices"), SpreadDestination.from(foreign));
        SpreadTopic own = new SpreadTopic("x");
        assertSame(own, SpreadDestination.from(own));
        assertNull(SpreadDestination.from(null));
    }

    @Test
    void destinationsSurviveJavaSerialization() throws Exception {
        SpreadTopic t = new SpreadTopic("orders?serviceType=AGREED");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(t);
        }
        Object back = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
        assertInstanceOf(SpreadTopic.class, back);
        assertEquals(t, back);
        assertEquals(t.options(), ((SpreadTopic) back).options());
    }
}
