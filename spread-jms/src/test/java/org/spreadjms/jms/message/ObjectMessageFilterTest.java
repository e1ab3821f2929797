package org.spreadjms.jms.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ObjectMessageFilterTest {
    /** A class that the default filter does not know. */
    record Refused(String value) implements Serializable {
    }

    static final class Holder implements Serializable {
        private static final long serialVersionUID = 1L;
        final Object inner;

        Holder(Object inner) {
            this.inner = inner;
        }
    }

    enum Color { RED }

    private static SpreadObjectMessage messageWith(Serializable o, ObjectMessageFilter filter) throws JMSException {
        SpreadObjectMessage m = new SpreadObjectMessage(filter);
        m.setObject(o);
        return m;
    }

    @Test
    void hashMapOfStringToIntegerIsAllowedByDefault() throws JMSException {
        HashMap<String, Integer> map = new HashMap<>(Map.of("a", 1, "b", 2));
        SpreadObjectMessage m = messageWith(map, null);
        assertEquals(map, m.getObject());
        assertNotSame(m.getObject(), m.getObject(), "each call deserializes a fresh copy");
    }

    @Test
    void commonJdkTypesAreAllowedByDefault() throws JMSException {
        List<Serializable> values = List.of("s", 1, 2L, 3.0, 'c', (short) 4, (byte) 5, 6f, true,
                new BigInteger("123456789012345678901234567890"), new BigDecimal("1.5"), UUID.randomUUID(),
                new Date(0), Instant.EPOCH, LocalDate.of(2024, 1, 2), new ArrayList<>(List.of(1, 2)),
                new LinkedList<>(List.of("x")), new TreeMap<>(Map.of("k", "v")), (Serializable) List.of(1, 2, 3),
                (Serializable) Map.of("a", 1), (Serializable) Set.of("z"),
                (Serializable) Collections.unmodifiableList(new ArrayList<>(List.of(1))),
                (Serializable) Collections.emptyMap(), (Serializable) Collections.singletonList(7),
                (Serializable) java.util.Arrays.asList("a", "b"), new int[] {1, 2}, new String[] {"a"},
                new Integer[][] {{1}}, new byte[] {1});
        for (Serializable v : values) {
            Object back = messageWith(v, null).getObject();
            if (v.getClass().isArray()) {
                assertEquals(v.getClass(), back.getClass());
            } else {
                assertEquals(v, back, v.getClass().getName());
            }
        }
    }

    @Test
    void refusedClassIsAFormatErrorNamingTheClassAndTheRemedy() throws JMSException {
        SpreadObjectMessage m = messageWith(new Refused("x"), null);
        MessageFormatException e = assertThrowsExactly(MessageFormatException.class, m::getObject);
        assertTrue(e.getMessage().contains(Refused.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("ObjectMessageFilter.of"), e.getMessage());
        assertNotNull(e.getCause());
        assertNotNull(e.getLinkedException());
    }

    @Test
    void refusedClassNestedInAnAllowedCollectionIsRefused() throws JMSException {
        SpreadObjectMessage m = messageWith(new ArrayList<>(List.of(new Refused("x"))), null);
        assertThrowsExactly(MessageFormatException.class, m::getObject);
    }

    @Test
    void enumOfAnUnknownTypeIsRefusedUntilAllowed() throws JMSException {
        assertThrowsExactly(MessageFormatException.class, messageWith(Color.RED, null)::getObject);
        ObjectMessageFilter f = ObjectMessageFilter.of(Color.class.getName());
        assertEquals(Color.RED, messageWith(Color.RED, f).getObject());
    }

    @Test
    void getBodyAndIsBodyAssignableToRefuseToo() throws JMSException {
        SpreadObjectMessage m = messageWith(new Refused("x"), null);
        assertThrowsExactly(MessageFormatException.class, () -> m.getBody(Object.class));
        assertThrowsExactly(MessageFormatException.class, () -> m.isBodyAssignableTo(Object.class));
    }

    @Test
    void exactClassPatternAllowsIt() throws JMSException {
        ObjectMessageFilter f = ObjectMessageFilter.of(" " + Refused.class.getName() + " , ");
        assertEquals(new Refused("x"), messageWith(new Refused("x"), f).getObject());
        assertEquals(new Refused("y"), messageWith(new Refused("y"), f).getBody(Refused.class));
    }

    @Test
    void packagePatternsMatchPackageOrSubpackages() {
        ObjectMessageFilter pkg = ObjectMessageFilter.of("com.acme.*");
        assertTrue(pkg.allowsClassName("com.acme.Order"));
        assertTrue(pkg.allowsClassName("com.acme.Order$Line"));
        assertFalse(pkg.allowsClassName("com.acme.model.Order"));
        assertFalse(pkg.allowsClassName("com.acmeX.Order"));
        ObjectMessageFilter tree = ObjectMessageFilter.of("com.acme.**");
        assertTrue(tree.allowsClassName("com.acme.Order"));
        assertTrue(tree.allowsClassName("com.acme.model.deep.Order"));
        assertFalse(tree.allowsClassName("com.acmex.Order"));
        ObjectMessageFilter nested = ObjectMessageFilter.of("com.acme.Outer$*");
        assertTrue(nested.allowsClassName("com.acme.Outer$Inner"));
        assertFalse(nested.allowsClassName("com.acme.Outer"));
        assertFalse(nested.allowsClassName("com.acme.OuterX"));
    }

    @Test
    void arraysFollowTheirElementTypeAndPrimitiveArraysAreAllowed() {
        ObjectMessageFilter d = ObjectMessageFilter.defaults();
        assertTrue(d.allows(long[][].class));
        assertTrue(d.allows(String[].class));
        assertFalse(d.allows(Refused[].class));
        assertFalse(d.allows(Thread.class));
    }

    @Test
    void defaultsDoNotAllowArbitraryJavaUtilOrJdkClasses() {
        ObjectMessageFilter d = ObjectMessageFilter.defaults();
        assertFalse(d.allowsClassName("java.util.PriorityQueue"));
        assertFalse(d.allowsClassName("java.util.concurrent.ConcurrentHashMap"));
        assertFalse(d.allowsClassName("javax.management.BadAttributeValueExpException"));
        assertFalse(d.allowsClassName("java.lang.reflect.Proxy"));
        assertTrue(d.allowsClassName("java.util.Collections$UnmodifiableMap"));
        assertTrue(d.allowsClassName("java.time.zone.Ser"));
    }

    @Test
    void starAllowsEverything() throws JMSException {
        ObjectMessageFilter all = ObjectMessageFilter.of("*");
        assertTrue(all.allowsAll());
        assertEquals(new Refused("x"), messageWith(new Refused("x"), all).getObject());
    }

    @Test
    void malformedPatternsAreRefused() {
        for (String p : List.of("com..acme", "com.acme.", "1com.x", "com.a b", "com.**.x")) {
            assertThrowsExactly(IllegalArgumentException.class, () -> ObjectMessageFilter.of(p), p);
        }
    }

    @Test
    void depthLimitRefusesDeepGraphs() throws JMSException {
        Object deep = "leaf";
        for (int i = 0; i < 20; i++) {
            deep = new Holder(deep);
        }
        ObjectMessageFilter f = ObjectMessageFilter.of(Holder.class.getName());
        assertInstanceOf(Holder.class, messageWith((Serializable) deep, f).getObject());
        ObjectMessageFilter shallow = f.withLimits(10, 1000, 1000, 1 << 20);
        MessageFormatException e = assertThrowsExactly(MessageFormatException.class,
                messageWith((Serializable) deep, shallow)::getObject);
        assertTrue(e.getMessage().contains("depth"), e.getMessage());
    }

    @Test
    void arrayLengthLimitRefusesLargeArraysAndCollections() throws JMSException {
        ObjectMessageFilter small = ObjectMessageFilter.defaults().withLimits(10, 100, 10_000, 1 << 20);
        assertThrowsExactly(MessageFormatException.class, messageWith(new byte[101], small)::getObject);
        ArrayList<Integer> big = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            big.add(i);
        }
        assertThrowsExactly(MessageFormatException.class, messageWith(big, small)::getObject);
        assertArrayEquals(new byte[100], (byte[]) messageWith(new byte[100], small).getObject());
    }

    @Test
    void garbageBytesAreAFormatError() {
        assertThrowsExactly(MessageFormatException.class,
                () -> ObjectMessageFilter.defaults().deserialize(new byte[] {1, 2, 3}));
    }

    @Test
    void setObjectSerializesImmediately() throws JMSException {
        ArrayList<String> list = new ArrayList<>(List.of("a"));
        SpreadObjectMessage m = messageWith(list, null);
        list.add("b");
        assertEquals(List.of("a"), m.getObject());
    }

    @Test
    void setObjectOfANonSerializableGraphIsAFormatError() {
        SpreadObjectMessage m = new SpreadObjectMessage();
        assertThrowsExactly(MessageFormatException.class, () -> m.setObject(new Holder(new Object())));
    }

    @Test
    void emptyObjectMessageHasNoBody() throws JMSException {
        SpreadObjectMessage m = new SpreadObjectMessage();
        assertNull(m.getObject());
        assertNull(m.getBody(Integer.class));
        assertTrue(m.isBodyAssignableTo(Integer.class));
        m.setObject(5);
        assertTrue(m.isBodyAssignableTo(Number.class));
        assertFalse(m.isBodyAssignableTo(String.class));
        assertThrowsExactly(MessageFormatException.class, () -> m.getBody(String.class));
        assertEquals(5, m.getBody(Integer.class));
    }

    @Test
    void receivedObjectBodyIsReadOnlyUntilClearBody() throws JMSException {
        SpreadObjectMessage m = messageWith("a", null);
        m.setReadOnly(true, true);
        assertThrowsExactly(MessageNotWriteableException.class, () -> m.setObject("b"));
        m.clearBody();
        assertNull(m.getObject());
        m.setObject("b");
        assertEquals("b", m.getObject());
    }
}
