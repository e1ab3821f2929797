package org.spreadjms.jms.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ObjectMessage bodies whose graphs are too large or too expensive are refused quickly with a
 * {@link MessageFormatException} naming the limit; ordinary deep or large graphs still deserialize.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ObjectMessageGraphLimitsTest {
    /** What "quickly" means for a refusal; the bombs below take 20 s to forever without the graph work bound. */
    private static final Duration QUICKLY = Duration.ofSeconds(5);

    /**
     * {@code depth} levels of {@code width} HashSets; every set of a level holds every set of the next, so hashing
     * the root walks width^depth paths. Only allowlisted JDK types: HashSet and String.
     */
    static HashSet<Object> hashSetBomb(int depth, int width) {
        HashSet<Object> root = new HashSet<>();
        List<Set<Object>> level = List.of(root);
        for (int d = 0; d < depth; d++) {
            List<Set<Object>> next = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                Set<Object> s = new HashSet<>();
                s.add(d + "," + i); // distinct sets, so none collapses into another
                next.add(s);
            }
            for (Set<Object> s : level) {
                s.addAll(next);
            }
            level = next;
        }
        return root;
    }

    private static byte[] serialize(Object o) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return b.toByteArray();
    }

    private static SpreadObjectMessage bodyOf(byte[] serialized) {
        SpreadObjectMessage m = new SpreadObjectMessage();
        m.setSerializedBody(serialized);
        return m;
    }

    private static MessageFormatException refusedQuickly(SpreadObjectMessage m) {
        return assertTimeoutPreemptively(QUICKLY,
                () -> assertThrowsExactly(MessageFormatException.class, m::getObject));
    }

    @Test
    void nestedHashSetBombIsRefusedQuickly() throws IOException {
        for (int depth : new int[] {28, 40}) {
            // the message is built from bytes: serializing the bomb is cheap, hashing it is what explodes
            MessageFormatException e = refusedQuickly(bodyOf(serialize(hashSetBomb(depth, 2))));
            assertTrue(e.getMessage().contains("maxGraphWork=" + ObjectMessageFilter.DEFAULT_MAX_GRAPH_WORK),
                    e.getMessage());
        }
    }

    @Test
    void wideShallowBombWithinTheJdkFilterLimitsIsRefusedQuickly() throws IOException {
        // depth 7, about 40,000 references, 200 KB: within maxDepth, maxReferences and maxBytes
        byte[] bytes = serialize(hashSetBomb(5, 90));
        assertTrue(bytes.length < ObjectMessageFilter.DEFAULT_MAX_BYTES);
        MessageFormatException e = refusedQuickly(bodyOf(bytes));
        assertTrue(e.getMessage().contains("maxGraphWork="), e.getMessage());
    }

    @Test
    void aSmallBombIsStillDeserializedAsItIsCheap() throws JMSException {
        SpreadObjectMessage m = new SpreadObjectMessage();
        m.setObject(hashSetBomb(10, 2));
        // (the original's sets were filled after being added, so it cannot be compared with equals)
        assertEquals(2, assertInstanceOf(HashSet.class, m.getObject()).size());
    }

    /** A linked chain of holders: nesting depth without collections. */
    static Object chain(int depth) {
        Object o = "bottom";
        for (int i = 1; i < depth; i++) {
            o = new ArrayList<>(List.of(o, i));
        }
        return o;
    }

    @Test
    void deepishAndLargeOrdinaryGraphsStillDeserialize() throws JMSException {
        // 60 nested lists (the depth limit is 64), a map of 20,000 entries, one object shared 1,000 times
        HashMap<String, Object> graph = new HashMap<>();
        graph.put("deep", chain(60));
        HashMap<String, List<Integer>> wide = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            wide.put("k" + i, List.of(i, i + 1));
        }
        graph.put("wide", wide);
        ArrayList<Object> shared = new ArrayList<>(List.of("shared", 1, 2L));
        graph.put("sharing", new ArrayList<>(java.util.Collections.nCopies(1000, shared)));
        SpreadObjectMessage m = new SpreadObjectMessage();
        m.setObject(graph);
        assertEquals(graph, m.getObject());
    }

    @Test
    void aHundredThousandSmallRecordsStillDeserialize() throws JMSException {
        ArrayList<Object> orders = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            orders.add(new ArrayList<>(List.of("order" + i, i, (long) i, "EUR", 1.5, List.of("line", i))));
        }
        SpreadObjectMessage m = new SpreadObjectMessage();
        m.setObject(orders);
        assertEquals(orders, m.getObject());
    }

    @Test
    void eachLimitIsNamedWhenExceeded() throws JMSException {
        SpreadObjectMessage deep = new SpreadObjectMessage();
        deep.setObject((Serializable) chain(70));
        assertTrue(assertThrowsExactly(MessageFormatException.class, deep::getObject).getMessage()
                .contains("maxDepth=64"));

        SpreadObjectMessage array = new SpreadObjectMessage(ObjectMessageFilter.defaults().withLimits(64, 10,
                1000, 1 << 20));
        array.setObject(new int[11]);
        assertTrue(assertThrowsExactly(MessageFormatException.class, array::getObject).getMessage()
                .contains("maxArrayLength=10"));

        SpreadObjectMessage refs = new SpreadObjectMessage(ObjectMessageFilter.defaults().withLimits(64, 1000,
                50, 1 << 20));
        refs.setObject(new ArrayList<>(Arrays.asList(new String[100])));
        assertTrue(assertThrowsExactly(MessageFormatException.class, refs::getObject).getMessage()
                .contains("maxReferences=50"));

        SpreadObjectMessage bytes = new SpreadObjectMessage(ObjectMessageFilter.defaults().withLimits(64, 1000,
                1000, 100));
        bytes.setObject(new byte[200]);
        assertTrue(assertThrowsExactly(MessageFormatException.class, bytes::getObject).getMessage()
                .contains("maxBytes=100"));

        SpreadObjectMessage work = new SpreadObjectMessage(ObjectMessageFilter.defaults().withMaxGraphWork(100));
        work.setObject(new ArrayList<>(List.of(chain(20), chain(20))));
        assertTrue(assertThrowsExactly(MessageFormatException.class, work::getObject).getMessage()
                .contains("maxGraphWork=100"));
    }

    @Test
    void refusedClassNamesTheUriOption() throws JMSException {
        SpreadObjectMessage m = new SpreadObjectMessage();
        m.setObject(new ObjectMessageFilterTest.Refused("x"));
        String msg = assertThrowsExactly(MessageFormatException.class, m::getObject).getMessage();
        assertTrue(msg.contains("deserializationAllowlist"), msg);
        assertTrue(msg.contains(ObjectMessageFilterTest.Refused.class.getName()), msg);
    }

    @Test
    void aDeepChainOfSuperclassDescriptorsIsRefusedWithoutOverflowingTheStack() throws IOException {
        // TC_OBJECT, then class descriptors each naming the next as superclass, 200,000 deep
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeShort(0xACED);
        out.writeShort(5);
        out.writeByte(0x73); // TC_OBJECT
        for (int i = 0; i < 200_000; i++) {
            out.writeByte(0x72); // TC_CLASSDESC
            out.writeUTF("C" + i);
            out.writeLong(1L);
            out.writeByte(0x02); // SC_SERIALIZABLE
            out.writeShort(0); // no fields
            out.writeByte(0x78); // TC_ENDBLOCKDATA: no class annotation
        }
        out.writeByte(0x70); // TC_NULL: no further superclass
        out.flush();
        MessageFormatException e = refusedQuickly(bodyOf(bytes.toByteArray()));
        assertTrue(e.getMessage().contains("superclasses"), e.getMessage());
    }

    @Test
    void everyTruncationOfAStreamIsAFormatErrorNotAHang() throws IOException {
        Map<String, Object> body = new HashMap<>(Map.of("list", new ArrayList<>(List.of(1, "two", 3.0)),
                "set", new HashSet<>(Set.of("a", "b")), "array", new long[] {1, 2}, "text", "x".repeat(300)));
        byte[] full = serialize(body);
        for (int n = 0; n < full.length; n++) {
            SpreadObjectMessage m = bodyOf(Arrays.copyOf(full, n));
            assertThrowsExactly(MessageFormatException.class, m::getObject, "truncated at " + n);
        }
    }
}
