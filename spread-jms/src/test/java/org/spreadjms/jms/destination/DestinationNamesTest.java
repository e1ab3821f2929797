package org.spreadjms.jms.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.jms.InvalidDestinationException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spreadjms.client.NameRules;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DestinationNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"orders", "a", "$x", "~", "orders.eu-west_1", "abcdefghijklmnopqrstuvwxyz01234"})
    void legalGroupNamesMapToThemselves(String name) throws Exception {
        assertEquals(name, DestinationNames.groupFor(name));
        NameRules.checkGroupName(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"my orders", "1orders", "#orders", "abcdefghijklmnopqrstuvwxyz012345", "\u00fcber",
            "\u8ba2\u5355", "tab\there", "a\"b", "9", " "})
    void otherNamesMapDeterministicallyToLegalGroupNames(String name) throws Exception {
        String group = DestinationNames.groupFor(name);
        assertEquals(group, DestinationNames.groupFor(name), "deterministic");
        assertTrue(group.length() <= 31, group);
        assertTrue(DestinationNames.isLegalGroupName(group), group);
        NameRules.checkGroupName(group);
        int sep = group.lastIndexOf('~');
        assertEquals(DestinationNames.HASH_CHARS, group.length() - sep - 1);
        assertTrue(sep <= DestinationNames.PREFIX_CHARS);
    }

    @Test
    void veryLongNameMapsToALegalGroup() throws Exception {
        String group = DestinationNames.groupFor("x".repeat(1000));
        assertTrue(group.length() <= 31 && DestinationNames.isLegalGroupName(group), group);
        assertTrue(group.startsWith("xxxxxxxxxxxx~"), group);
    }

    @Test
    void mappedNameKeepsASanitizedPrefix() throws Exception {
        assertTrue(DestinationNames.groupFor("my orders").startsWith("my_orders~"));
        assertTrue(DestinationNames.groupFor("1orders").startsWith("_orders~"));
        assertTrue(DestinationNames.groupFor("#orders").startsWith("_orders~"));
        assertTrue(DestinationNames.groupFor("a-very-long-topic-name-beyond-31-chars")
                .startsWith("a-very-long-~"));
    }

    @Test
    void mappedNameHashIsBase64UrlOfSha256() throws Exception {
        // SHA-256("my orders"), base64url without padding, first 18 characters
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest("my orders".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String hash = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 18);
        assertEquals("my_orders~" + hash, DestinationNames.groupFor("my orders"));
    }

    @Test
    void distinctNamesMapToDistinctGroups() throws Exception {
        Set<String> groups = new HashSet<>();
        String prefix = "the same long prefix for all ";
        for (int i = 0; i < 10_000; i++) {
            assertTrue(groups.add(DestinationNames.groupFor(prefix + i)));
        }
        assertNotEquals(DestinationNames.groupFor("a b"), DestinationNames.groupFor("a_b"));
    }

    @Test
    void emptyOrNullNameIsInvalid() {
        InvalidDestinationException e = assertThrowsExactly(InvalidDestinationException.class,
                () -> DestinationNames.groupFor(""));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertThrowsExactly(InvalidDestinationException.class, () -> DestinationNames.groupFor(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"#alice#localhost", "#a#d", "#abcdefghij#abcdefghijklmnopqrs"})
    void privateGroupQueueNamesMapToThemselves(String name) throws Exception {
        assertEquals(name, DestinationNames.queueGroupFor(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "##", "#alice", "#alice#", "##daemon", "#abcdefghijk#d", "#a#abcdefghijklmnopqrst",
            "#a b#d", "#a#d e"})
    void badPrivateGroupQueueNamesAreInvalid(String name) {
        InvalidDestinationException e = assertThrowsExactly(InvalidDestinationException.class,
                () -> DestinationNames.queueGroupFor(name));
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void optionsAreSplitOffTheName() throws Exception {
        DestinationNames.NameAndOptions n = DestinationNames.split("orders?serviceType=AGREED&x=");
        assertEquals("orders", n.name());
        assertEquals(Map.of("serviceType", "AGREED", "x", ""), n.options());
        assertEquals(List.of("serviceType", "x"), List.copyOf(n.options().keySet()));
        assertTrue(DestinationNames.split("orders?").options().isEmpty());
        assertTrue(DestinationNames.split("orders").options().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders?x", "orders?=1", "orders?a=1&a=2", "orders?a=1&"})
    void malformedOptionsAreInvalid(String name) {
        assertThrowsExactly(InvalidDestinationException.class, () -> DestinationNames.split(name));
    }

    @Test
    void temporaryTopicGroupsAreLegalAndUnique() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String g = DestinationNames.newTemporaryTopicGroup();
            assertTrue(DestinationNames.isLegalGroupName(g), g);
            assertTrue(seen.add(g));
        }
        assertFalse(DestinationNames.isLegalGroupName("#x#y"));
    }
}
