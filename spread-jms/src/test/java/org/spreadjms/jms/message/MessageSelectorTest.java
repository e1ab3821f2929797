package org.spreadjms.jms.message;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidSelectorException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MessageSelectorTest {
    private static SpreadTextMessage message() throws Exception {
        SpreadTextMessage m = new SpreadTextMessage("x");
        m.setStringProperty("color", "red");
        m.setIntProperty("weight", 12);
        m.setDoubleProperty("price", 2.5);
        m.setBooleanProperty("urgent", true);
        m.setJMSType("order");
        m.setJMSPriority(7);
        m.setJMSDeliveryMode(DeliveryMode.PERSISTENT);
        m.setJMSCorrelationID("abc-123");
        return m;
    }

    @Test
    void matchesStringNumericBooleanAndHeaderConditions() throws Exception {
        SpreadTextMessage m = message();
        assertTrue(MessageSelector.parse("color = 'red'").matches(m));
        assertFalse(MessageSelector.parse("color = 'blue'").matches(m));
        assertTrue(MessageSelector.parse("weight BETWEEN 10 AND 20 AND price < 3.0").matches(m));
        assertTrue(MessageSelector.parse("urgent AND color IN ('red', 'green')").matches(m));
        assertTrue(MessageSelector.parse("color LIKE 'r%'").matches(m));
        assertTrue(MessageSelector.parse("missing IS NULL").matches(m));
        assertTrue(MessageSelector.parse("JMSType = 'order' AND JMSPriority > 5").matches(m));
        assertTrue(MessageSelector.parse("JMSDeliveryMode = 'PERSISTENT'").matches(m));
        assertTrue(MessageSelector.parse("JMSCorrelationID LIKE 'abc%'").matches(m));
        assertFalse(MessageSelector.parse("weight + 1 > 100").matches(m));
    }

    @Test
    void blankSelectorMeansNoSelector() throws Exception {
        assertTrue(MessageSelector.parse(null) == null && MessageSelector.parse("  ") == null);
    }

    @Test
    void rejectsMalformedSelectorsWithInvalidSelectorException() {
        assertThrows(InvalidSelectorException.class, () -> MessageSelector.parse("color = "));
        assertThrows(InvalidSelectorException.class, () -> MessageSelector.parse("color == 'red'"));
        assertThrows(InvalidSelectorException.class, () -> MessageSelector.parse("AND OR"));
    }

    /** Issue 13, item 8: a selector error says where and why. */
    @Test
    void aSyntaxErrorSaysWhereAndWhy() {
        InvalidSelectorException e = assertThrows(InvalidSelectorException.class,
                () -> MessageSelector.parse("color === 'x'"));
        assertTrue(e.getMessage().contains("column 8"), e.getMessage());
        assertTrue(e.getMessage().contains("color = >>> == 'x'"), e.getMessage());
        e = assertThrows(InvalidSelectorException.class, () -> MessageSelector.parse("color = 'red' AND"));
        assertTrue(e.getMessage().contains("<EOF>"), e.getMessage());
        assertTrue(e.getMessage().endsWith("AND >>> "), e.getMessage());
    }
}
