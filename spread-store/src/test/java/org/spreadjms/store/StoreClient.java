package org.spreadjms.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.spreadjms.client.DataMessage;
import org.spreadjms.client.ReceivedMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.jms.store.MessageKey;
import org.spreadjms.jms.store.PersistentMessages;
import org.spreadjms.jms.store.StoreControlCodec;
import org.spreadjms.jms.store.StoreFrame;
import org.spreadjms.jms.store.StoredMessage;
import org.spreadjms.store.log.MessageLog;

/** A plain Spread client in the role of a producer: sends keyed messages SAFE and collects STORED acknowledgements. */
final class StoreClient implements AutoCloseable {
    final SpreadConnection connection;
    /** ids acknowledged, per store member. */
    final Map<String, Set<String>> stored = new HashMap<>();
    int lastStoreMembers;

    StoreClient(int port, String name) throws Exception {
        connection = SpreadConnection.connect(SpreadOptions.builder().daemon("127.0.0.1", port).privateName(name)
                .build());
    }

    String sender() {
        return connection.privateGroup();
    }

    void send(String group, String id) throws Exception {
        connection.multicast(ServiceType.SAFE, group, PersistentMessages.KEYED,
                PersistentMessages.keyed(id, ("body of " + id).getBytes(StandardCharsets.UTF_8)));
    }

    void acked(String group, List<String> ids) throws Exception {
        List<MessageKey> keys = ids.stream().map(i -> new MessageKey(sender(), i)).toList();
        connection.multicast(ServiceType.SAFE, group, StoreControlCodec.MESS_TYPE,
                StoreControlCodec.encode(new StoreFrame.Acked(group, keys)));
    }

    /** Waits until each of {@code members} acknowledged every id in {@code ids}. */
    void awaitStored(List<String> members, Set<String> ids, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!members.stream().allMatch(m -> stored.getOrDefault(m, Set.of()).containsAll(ids))) {
            long left = deadline - System.nanoTime();
            assertTrue(left > 0, "STORED acknowledgements missing after " + timeout.toMillis() + " ms: "
                    + missing(members, ids));
            ReceivedMessage r = connection.receive(Duration.ofNanos(left));
            if (r instanceof DataMessage d && d.messType() == StoreControlCodec.MESS_TYPE) {
                StoreFrame.Stored s = (StoreFrame.Stored) StoreControlCodec.decode(d.data());
                lastStoreMembers = s.storeMembers();
                Set<String> got = stored.computeIfAbsent(d.sender(), k -> new HashSet<>());
                s.refs().forEach(ref -> got.add(ref.id()));
            }
        }
    }

    private String missing(List<String> members, Set<String> ids) {
        StringBuilder b = new StringBuilder();
        for (String m : members) {
            Set<String> miss = new HashSet<>(ids);
            miss.removeAll(stored.getOrDefault(m, Set.of()));
            b.append(m).append(": ").append(miss.size()).append(" missing; ");
        }
        return b.toString();
    }

    @Override
    public void close() {
        connection.disconnect();
    }

    /** Every message of {@code destination} in the log, as "sequence sender/id". */
    static List<String> contents(MessageLog log, String destination) throws Exception {
        List<String> out = new ArrayList<>();
        long from = 1;
        List<StoredMessage> page;
        while (!(page = log.read(destination, from, 100, Long.MAX_VALUE)).isEmpty()) {
            for (StoredMessage m : page) {
                out.add(m.sequence() + " " + m.key().sender() + "/" + m.key().id());
            }
            from = page.get(page.size() - 1).sequence() + 1;
        }
        return out;
    }

    static Set<String> ids(String prefix, int from, int to) {
        Set<String> s = new HashSet<>();
        for (int i = from; i < to; i++) {
            s.add(prefix + i);
        }
        return s;
    }

    static final long WAIT_SECONDS = 20;
    static final Duration WAIT = Duration.ofSeconds(WAIT_SECONDS);
    static final TimeUnit UNIT = TimeUnit.SECONDS;
}
