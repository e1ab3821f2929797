package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadAddress;
import org.spreadjms.jms.provider.FailoverOptions;

/** The option table: URI forms both ways, rules, and the error messages of malformed URIs. No daemon needed. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SpreadJmsSettingsTest {
    /** A value other than the default for every option, as a URI writes it. */
    private static final Map<String, String> NON_DEFAULT = new LinkedHashMap<>();
    /** A value breaking the rule of every option that has one. */
    private static final Map<String, String> BREAKS_RULE = new LinkedHashMap<>();

    static {
        NON_DEFAULT.put("clientID", "app%261%3Dx+y"); // "app&1=x y": escaping must survive the round trip
        NON_DEFAULT.put("user", "alice");
        NON_DEFAULT.put("password", "s%26cret"); // "s&cret"
        NON_DEFAULT.put("privateNamePrefix", "ab");
        NON_DEFAULT.put("nonPersistentServiceType", "AGREED");
        NON_DEFAULT.put("persistentServiceType", "RELIABLE");
        NON_DEFAULT.put("connectTimeout", "1234");
        NON_DEFAULT.put("joinTimeout", "PT2.345S");
        NON_DEFAULT.put("rawMessagesAsText", "true");
        NON_DEFAULT.put("deserializationAllowlist", "com.acme.**,org.x.Y");
        NON_DEFAULT.put("consumerBufferMessages", "77");
        NON_DEFAULT.put("consumerBufferBytes", "200000");
        NON_DEFAULT.put("receiveBufferBytes", "100000");
        NON_DEFAULT.put("alwaysSessionAsync", "false");
        NON_DEFAULT.put("maxRedeliveries", "-1");
        NON_DEFAULT.put("deadLetterQueue", "DLQ.x");
        NON_DEFAULT.put("queueNoConsumerPolicy", "fail");
        NON_DEFAULT.put("storeAcks", "0");
        NON_DEFAULT.put("storeTimeout", "2500");
        NON_DEFAULT.put("storeGroup", "$store.b");
        NON_DEFAULT.put("maxMessageBytes", "5000000");
        NON_DEFAULT.put("reassemblyBufferBytes", "9000000");
        NON_DEFAULT.put("fragmentTimeout", "4321");
        NON_DEFAULT.put("failover.maxReconnectAttempts", "7");
        NON_DEFAULT.put("failover.initialReconnectDelay", "11");
        NON_DEFAULT.put("failover.maxReconnectDelay", "999");
        NON_DEFAULT.put("failover.reconnectBackOffMultiplier", "1.5");
        NON_DEFAULT.put("failover.sendTimeout", "3333");

        BREAKS_RULE.put("privateNamePrefix", "toolong");
        BREAKS_RULE.put("nonPersistentServiceType", "FAST");
        BREAKS_RULE.put("persistentServiceType", "");
        BREAKS_RULE.put("connectTimeout", "0");
        BREAKS_RULE.put("joinTimeout", "-5");
        BREAKS_RULE.put("rawMessagesAsText", "yes");
        BREAKS_RULE.put("consumerBufferMessages", "0");
        BREAKS_RULE.put("consumerBufferBytes", "1023");
        BREAKS_RULE.put("receiveBufferBytes", "10");
        BREAKS_RULE.put("alwaysSessionAsync", "1");
        BREAKS_RULE.put("maxRedeliveries", "-2");
        BREAKS_RULE.put("deadLetterQueue", "bad name");
        BREAKS_RULE.put("queueNoConsumerPolicy", "sometimes");
        BREAKS_RULE.put("storeAcks", "-2");
        BREAKS_RULE.put("storeTimeout", "0");
        BREAKS_RULE.put("storeGroup", "%23private");
        BREAKS_RULE.put("maxMessageBytes", "5");
        BREAKS_RULE.put("reassemblyBufferBytes", "12x");
        BREAKS_RULE.put("fragmentTimeout", "PT400000H");
        BREAKS_RULE.put("failover.maxReconnectAttempts", "0");
        BREAKS_RULE.put("failover.initialReconnectDelay", "0");
        BREAKS_RULE.put("failover.maxReconnectDelay", "soon");
        BREAKS_RULE.put("failover.reconnectBackOffMultiplier", "0.5");
        BREAKS_RULE.put("failover.sendTimeout", "Infinity");
    }

    @Test
    void theSamplesCoverEveryOptionOfTheTable() {
        List<String> names = SpreadJmsSettings.OPTIONS.stream().map(UriOption::name).toList();
        assertEquals(names, List.copyOf(NON_DEFAULT.keySet()), "NON_DEFAULT must list every option, in order");
        for (UriOption<?> o : SpreadJmsSettings.OPTIONS) {
            if (o.kind() != UriOption.Kind.TEXT) {
                assertTrue(BREAKS_RULE.containsKey(o.name()), o.name() + " has a rule but no sample breaking it");
            }
        }
    }

    @Test
    void everyOptionRoundTripsThroughAPlainUri() {
        StringJoiner q = new StringJoiner("&", "spread://10.0.0.7:4900?", "");
        NON_DEFAULT.forEach((k, v) -> {
            if (!k.startsWith("failover.")) {
                q.add(k + "=" + v);
            }
        });
        SpreadJmsSettings s = SpreadJmsSettings.fromUri(q.toString());
        assertEveryOptionDiffersFromDefault(s, false);
        SpreadJmsSettings back = SpreadJmsSettings.fromUri(s.toUri());
        assertEquals(s, back, s.toUri());
        assertEquals(s.toUri(), back.toUri());
        assertEquals("app&1=x y", back.getClientID());
        assertEquals(Duration.ofMillis(2345), back.joinTimeout());
        assertEquals(List.of(new SpreadAddress("10.0.0.7", 4900)), back.daemons());
        assertFalse(back.isFailover());
    }

    @Test
    void everyOptionRoundTripsThroughAFailoverUri() {
        StringJoiner q = new StringJoiner("&", "spread:failover:(spread://h1:4803,spread://h2:4804)?", "");
        NON_DEFAULT.forEach((k, v) -> q.add(k + "=" + v));
        SpreadJmsSettings s = SpreadJmsSettings.fromUri(q.toString());
        assertEveryOptionDiffersFromDefault(s, true);
        String uri = s.toUri();
        assertTrue(uri.startsWith("spread:failover:(spread://h1:4803,spread://h2:4804)?"), uri);
        SpreadJmsSettings back = SpreadJmsSettings.fromUri(uri);
        assertEquals(s, back, uri);
        assertTrue(back.isFailover());
        assertEquals(new FailoverOptions(7, Duration.ofMillis(11), Duration.ofMillis(999), 1.5,
                Duration.ofMillis(3333)), back.failoverOptions());
    }

    @Test
    void factoryBrokerUriCarriesEverySetting() {
        StringJoiner q = new StringJoiner("&", "spread:failover:(spread://h1:4803)?", "");
        NON_DEFAULT.forEach((k, v) -> q.add(k + "=" + v));
        SpreadConnectionFactory f = new SpreadConnectionFactory(q.toString());
        assertEquals(f.getSettings(), new SpreadConnectionFactory(f.getBrokerURI()).getSettings());
    }

    @Test
    void defaultsAreTheDefaultUri() {
        assertEquals(SpreadJmsSettings.DEFAULT_URI, new SpreadJmsSettings().toUri());
        assertEquals(new SpreadJmsSettings(), SpreadJmsSettings.fromUri(SpreadJmsSettings.DEFAULT_URI));
        assertEquals(new SpreadJmsSettings(), SpreadJmsSettings.fromUri("spread://127.0.0.1"), "port 4803 by default");
    }

    @Test
    void everyRuleRefusesABreakingValueNamingTheOption() {
        for (Map.Entry<String, String> e : BREAKS_RULE.entrySet()) {
            String uri = (e.getKey().startsWith("failover.") ? "spread:failover:(spread://h:4803)" : "spread://h:4803")
                    + "?" + e.getKey() + "=" + e.getValue();
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                    () -> SpreadJmsSettings.fromUri(uri), uri);
            assertTrue(x.getMessage().contains(e.getKey()), x.getMessage());
        }
    }

    @Test
    void malformedValuesAreNamedWithWhatWasExpected() {
        assertMessage("spread://h?consumerBufferMessages=1.5", "option consumerBufferMessages=1.5 is not an integer");
        assertMessage("spread://h?maxMessageBytes=lots", "option maxMessageBytes=lots is not a whole number of bytes");
        assertMessage("spread://h?persistentServiceType=FAST", "option persistentServiceType=FAST is not one of [");
        assertMessage("spread://h?connectTimeout=0", "connectTimeout must be positive and at most 365 days, was 0");
        assertMessage("spread://h?joinTimeout=soon", "option joinTimeout=soon is neither milliseconds nor an ISO-8601");
    }

    @Test
    void storeAcksIsACountOrAllAndStoreMemberNamesAreReserved() {
        assertEquals(3, SpreadJmsSettings.fromUri("spread://h?storeAcks=3").getStoreAcks());
        assertEquals(SpreadJmsSettings.STORE_ACKS_ALL, SpreadJmsSettings.fromUri("spread://h?storeAcks=ALL")
                .getStoreAcks());
        assertEquals(SpreadJmsSettings.STORE_ACKS_ALL, new SpreadJmsSettings().getStoreAcks(),
                "PERSISTENT means kept by every store member unless the connection opts out");
        assertEquals("spread://h:4803?storeAcks=0", SpreadJmsSettings.fromUri("spread://h:4803?storeAcks=0")
                .toUri());
        assertMessage("spread://h?storeAcks=-1", "option storeAcks=-1 is neither at least 0 nor all");
        assertMessage("spread://h?storeAcks=most", "option storeAcks=most is not an integer or all");
        assertMessage("spread://h?privateNamePrefix=$stx", "reserved for store members");
        assertMessage("spread://h?privateNamePrefix=$s", "reserved for store members");
        assertFalse(DeliverySettings.of(SpreadJmsSettings.fromUri("spread://h?alwaysSessionAsync=false&storeAcks=1"))
                .directDispatch(), "a listener on the dispatcher thread could not wait for its sends' STORED");
        assertFalse(DeliverySettings.of(SpreadJmsSettings.fromUri("spread://h?alwaysSessionAsync=false"))
                .directDispatch(), "the default storeAcks (all) waits for STORED too");
        assertTrue(DeliverySettings.of(SpreadJmsSettings.fromUri("spread://h?alwaysSessionAsync=false&storeAcks=0"))
                .directDispatch());
    }

    private static void assertMessage(String uri, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpreadJmsSettings.fromUri(uri));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void beanSettersApplyTheSameRules() {
        SpreadJmsSettings s = new SpreadJmsSettings();
        assertThrows(IllegalArgumentException.class, () -> s.setConnectTimeout(0));
        assertThrows(IllegalArgumentException.class, () -> s.setJoinTimeout(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> s.setMaxMessageBytes(5));
        assertThrows(IllegalArgumentException.class, () -> s.setQueueNoConsumerPolicy("never"));
        assertEquals(new SpreadJmsSettings(), s, "refused values change nothing");
    }

    @Test
    void durationsAreMillisecondsOrIso8601AndWrittenAsMilliseconds() {
        SpreadJmsSettings a = SpreadJmsSettings.fromUri("spread://h?connectTimeout=1500&fragmentTimeout=PT2M");
        assertEquals(Duration.ofMillis(1500), a.connectTimeout());
        assertEquals(Duration.ofMinutes(2), a.fragmentTimeout());
        assertEquals(a, SpreadJmsSettings.fromUri("spread://h?connectTimeout=PT1.5S&fragmentTimeout=120000"));
        assertTrue(a.toUri().contains("connectTimeout=1500") && a.toUri().contains("fragmentTimeout=120000"),
                a.toUri());
    }

    @Test
    void copyIsEqualAndIndependent() {
        SpreadJmsSettings s = SpreadJmsSettings.fromUri("spread://h:4900?clientID=c1");
        SpreadJmsSettings c = s.copy();
        assertEquals(s, c);
        c.setPersistentServiceType(ServiceType.AGREED);
        assertNotEquals(s, c);
        assertEquals(ServiceType.SAFE, s.getPersistentServiceType());
    }

    @Test
    void failoverOptionsOnAPlainUriAreRefusedNamingTheFailoverForm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpreadJmsSettings.fromUri(
                "spread://h:4803?failover.sendTimeout=5000&failover.maxReconnectAttempts=3"));
        assertTrue(e.getMessage().contains("spread:failover:(spread://h:4803)"), e.getMessage());
        assertTrue(e.getMessage().contains("failover.sendTimeout")
                && e.getMessage().contains("failover.maxReconnectAttempts"), e.getMessage());
    }

    @Test
    void maxReconnectDelayIsNeverBelowTheInitialDelay() {
        SpreadJmsSettings s = SpreadJmsSettings.fromUri(
                "spread:failover:(spread://h)?failover.initialReconnectDelay=9000");
        assertEquals(Duration.ofMillis(9000), s.failoverOptions().maxDelay());
    }

    @Test
    void aPortThatIsNotANumberIsSaidToBeOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpreadJmsSettings.fromUri("spread://host:notaport"));
        assertTrue(e.getMessage().contains("port 'notaport' is not a number"), e.getMessage());
        assertFalse(e.getMessage().contains("names no host"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SpreadJmsSettings.fromUri("spread:failover:(spread://a:4803,spread://b:x1)"));
        assertTrue(e.getMessage().contains("port 'x1' is not a number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SpreadJmsSettings.fromUri("spread://h:70000"));
        assertTrue(e.getMessage().contains("port 70000 is outside 1..65535"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"spread:failover:()", "spread:failover:( )", "spread:failover:()?clientID=x"})
    void anEmptyFailoverListIsSaidToBeEmpty(String uri) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpreadJmsSettings.fromUri(uri));
        assertTrue(e.getMessage().contains("empty failover list"), e.getMessage());
        assertFalse(e.getMessage().contains("URI ''"), e.getMessage());
    }

    @Test
    void anEmptyEntryInTheFailoverListIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpreadJmsSettings.fromUri("spread:failover:(spread://a:4803,)"));
        assertTrue(e.getMessage().contains("empty entry"), e.getMessage());
    }

    @Test
    void aHostlessUriStillSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpreadJmsSettings.fromUri("spread://:4803"));
        assertTrue(e.getMessage().contains("names no host"), e.getMessage());
    }

    private static void assertEveryOptionDiffersFromDefault(SpreadJmsSettings s, boolean failover) {
        for (UriOption<?> o : SpreadJmsSettings.OPTIONS) {
            if (failover || !o.failoverOnly()) {
                assertNotEquals(o.defaultValue(), s.get(o), o.name() + " kept its default: the test proves nothing");
            }
        }
    }
}
