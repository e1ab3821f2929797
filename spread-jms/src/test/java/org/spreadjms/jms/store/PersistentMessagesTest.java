package org.spreadjms.jms.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PersistentMessagesTest {
    /** The front of a version 1 JMS envelope as spread-jms's MessageEnvelope writes it. */
    static byte[] envelope(String id, int deliveryMode) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(bytes);
        o.write(new byte[] {'S', 1, 2, 0});
        str(o, id);
        o.writeLong(1_700_000_000_000L);
        str(o, "corr");
        str(o, null);
        str(o, "q:orders");
        o.writeByte(deliveryMode);
        str(o, null); // JMSType, then the rest of the envelope the store does not read
        o.writeLong(0);
        return bytes.toByteArray();
    }

    private static void str(DataOutputStream o, String s) throws Exception {
        if (s == null) {
            o.writeInt(-1);
        } else {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            o.writeInt(b.length);
            o.write(b);
        }
    }

    @Test
    void keepsPersistentJmsEnvelopesByTheirMessageId() throws Exception {
        assertEquals("ID:abc-1", PersistentMessages.idOf(PersistentMessages.JMS_ENVELOPE, envelope("ID:abc-1", 2)));
        assertNull(PersistentMessages.idOf(PersistentMessages.JMS_ENVELOPE, envelope("ID:abc-1", 1)),
                "NON_PERSISTENT is not kept");
        assertNull(PersistentMessages.idOf(PersistentMessages.JMS_ENVELOPE, envelope(null, 2)), "no id, not kept");
    }

    @Test
    void aTruncatedEnvelopeIsRefusedAtEveryCut() throws Exception {
        byte[] e = envelope("ID:abc-1", 2);
        int modeOffset = 4 + (4 + 8) + 8 + (4 + 4) + 4 + (4 + 8);
        assertEquals(2, e[modeOffset], "layout of the test envelope");
        for (int cut = 0; cut <= modeOffset; cut++) {
            byte[] part = Arrays.copyOf(e, cut);
            assertThrows(MalformedStoreFrameException.class,
                    () -> PersistentMessages.idOf(PersistentMessages.JMS_ENVELOPE, part), "cut " + cut);
        }
    }

    @Test
    void keyedMessagesCarryTheirIdInFront() throws Exception {
        byte[] k = PersistentMessages.keyed("order-7", new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {7, 'o', 'r', 'd', 'e', 'r', '-', '7', 1, 2, 3}, k);
        assertEquals("order-7", PersistentMessages.idOf(PersistentMessages.KEYED, k));
        assertArrayEquals(new byte[] {1, 2, 3}, PersistentMessages.keyedPayload(k));
        assertThrows(MalformedStoreFrameException.class,
                () -> PersistentMessages.idOf(PersistentMessages.KEYED, new byte[] {5, 'a'}));
        assertThrows(MalformedStoreFrameException.class,
                () -> PersistentMessages.idOf(PersistentMessages.KEYED, new byte[] {0}));
        assertThrows(IllegalArgumentException.class, () -> PersistentMessages.keyed("", new byte[0]));
    }

    @Test
    void otherTypesAreNotKept() throws Exception {
        assertNull(PersistentMessages.idOf((short) 0, new byte[] {1}));
        assertNull(PersistentMessages.idOf(StoreControlCodec.MESS_TYPE, new byte[0]));
        assertNull(PersistentMessages.idOf((short) 0x534C, new byte[] {1}));
    }
}
