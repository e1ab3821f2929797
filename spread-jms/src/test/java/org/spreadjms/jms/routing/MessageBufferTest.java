package org.spreadjms.jms.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.jms.JMSException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.jms.message.SpreadMessage;
import org.spreadjms.jms.message.SpreadTextMessage;

/** Issue 13, item 8: buffered messages come out highest JMSPriority first, FIFO within a priority. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MessageBufferTest {
    private static SpreadMessage msg(String id, int priority) throws JMSException {
        SpreadTextMessage m = new SpreadTextMessage();
        m.setJMSMessageID(id);
        m.setJMSPriority(priority);
        return m;
    }

    private static List<String> ids(List<SpreadMessage> ms) {
        List<String> out = new ArrayList<>();
        for (SpreadMessage m : ms) {
            out.add(m.getJMSMessageID());
        }
        return out;
    }

    @Test
    void arrivalsComeOutByPriorityThenArrivalAndReturnedMessagesFirst() throws Exception {
        MessageBuffer b = new MessageBuffer();
        b.addLast(msg("low1", 1));
        b.addLast(msg("high1", 9));
        b.addLast(msg("mid1", 4));
        b.addLast(msg("high2", 9));
        b.addLast(msg("low2", 1));
        b.addFirst(msg("back", 0));
        assertEquals(List.of("back", "high1", "high2", "mid1", "low1", "low2"), ids(b.snapshot()));
        List<String> polled = new ArrayList<>();
        SpreadMessage m;
        while ((m = b.pollFirst()) != null) {
            polled.add(m.getJMSMessageID());
        }
        assertEquals(List.of("back", "high1", "high2", "mid1", "low1", "low2"), polled);
        assertEquals(0, b.size());
    }

    @Test
    void makingRoomDropsTheOldestOfTheLowestPriority() throws Exception {
        MessageBuffer b = new MessageBuffer();
        b.addLast(msg("high", 8));
        b.addLast(msg("low-old", 2));
        b.addLast(msg("low-new", 2));
        assertEquals("low-old", b.dropOldestArrival().getJMSMessageID());
        assertEquals("low-new", b.dropOldestArrival().getJMSMessageID());
        assertEquals("high", b.dropOldestArrival().getJMSMessageID());
        assertNull(b.dropOldestArrival());
        assertEquals(0, b.bytes());
    }
}
