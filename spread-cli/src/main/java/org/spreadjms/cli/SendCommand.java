package org.spreadjms.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.jms.SpreadConnectionFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code spread send}: sends text, a file, or stdin lines to a topic, a queue (JMS) or a raw group (plain client).
 */
@Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Send messages to a JMS topic or queue, or to a raw Spread group.",
                "The body is --text, --file, or else each line of standard input is one message."},
        footer = {"", "Examples:",
                "  spread send --topic news --text 'hello {n}' --count 3",
                "  spread send --group legacy --file order.bin --service SAFE",
                "  seq 100 | spread send --queue work"})
final class SendCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", defaultValue = DaemonUrl.DEFAULT,
            description = "daemon: spread://host:port[?jms options], port@host or host:port (default ${DEFAULT-VALUE})")
    String url;

    @picocli.CommandLine.Mixin
    CredentialOptions credentials = new CredentialOptions();

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @ArgGroup(exclusive = true)
    Body body;

    static final class Body {
        @Option(names = "--text", paramLabel = "TEXT",
                description = "text body; {n} is replaced by the message number (1, 2, ...)")
        String text;

        @Option(names = "--file", paramLabel = "FILE", description = "file whose bytes are the body")
        Path file;
    }

    @Option(names = "--count", paramLabel = "N", description = "send the --text or --file body N times (default 1)")
    Integer count;

    @Option(names = "--service", paramLabel = "TYPE",
            description = "service type: ${COMPLETION-CANDIDATES} (raw default AGREED; JMS default: the provider's,"
                    + " FIFO for non-persistent)")
    ServiceType service;

    @Option(names = "--mess-type", paramLabel = "N", defaultValue = "0",
            description = "Spread message type of raw group messages, -32768..32767 (default ${DEFAULT-VALUE})")
    short messType;

    @Option(names = "--persistent", description = "JMS: send PERSISTENT messages, which wait for the store members"
            + " (storeAcks in --url, default all; a queue send fails if none runs). Default: NON_PERSISTENT")
    boolean persistent;

    @Option(names = "--property", paramLabel = "KEY=VALUE", description = "a JMS string property (repeatable)")
    Map<String, String> properties = Map.of();

    @Override
    public Integer call() throws Exception {
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "--count must be at least 1 (was " + count + ")");
        }
        if (count != null && body == null) {
            throw new ParameterException(spec.commandLine(), "--count repeats a --text or --file body; with standard"
                    + " input every line is one message");
        }
        if (target.raw() && !properties.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--property needs --topic or --queue (raw group"
                    + " messages carry only bytes)");
        }
        if (body != null && body.file != null && !Files.isReadable(body.file)) {
            throw new ParameterException(spec.commandLine(), "--file " + body.file + " does not exist or cannot be"
                    + " read");
        }
        PrintWriter out = spec.commandLine().getOut();
        Tally tally = target.raw() ? sendRaw() : sendJms();
        out.println(tally.summary("sent") + " to " + target + " at " + url);
        out.flush();
        return 0;
    }

    private Tally sendRaw() throws Exception {
        Tally tally = new Tally();
        ServiceType st = service != null ? service : ServiceType.AGREED;
        try (SpreadConnection c = SpreadConnection.connect(credentials.apply(SpreadOptions.builder())
                .daemon(DaemonUrl.parse(url))
                .membershipMessages(false).build())) {
            long mark = c.refusalMark();
            forEachBody((n, bytes, text) -> {
                c.multicast(st, target.group, messType, bytes);
                tally.add(bytes.length);
            });
            if (c.accessControlled()) {
                // the daemon's ACL refuses with a reject message back, not an error: ask before claiming success
                c.checkAccepted(mark, java.util.List.of(target.group), java.time.Duration.ofSeconds(10));
            }
        }
        return tally;
    }

    private Tally sendJms() throws Exception {
        Tally tally = new Tally();
        try (Connection c = credentials.connect(new SpreadConnectionFactory(DaemonUrl.jmsUri(url)))) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(target.destination(s, service));
            producer.setDeliveryMode(persistent ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
            forEachBody((n, bytes, text) -> {
                Message m;
                if (text != null) {
                    m = s.createTextMessage(text);
                } else {
                    BytesMessage b = s.createBytesMessage();
                    b.writeBytes(bytes);
                    m = b;
                }
                for (Map.Entry<String, String> p : properties.entrySet()) {
                    m.setStringProperty(p.getKey(), p.getValue());
                }
                producer.send(m);
                tally.add(bytes.length);
            });
        }
        return tally;
    }

    private interface BodySink {
        /** One message: its number, its bytes, and its text when it is text (null for a file body). */
        void accept(long n, byte[] bytes, String text) throws Exception;
    }

    private void forEachBody(BodySink sink) throws Exception {
        if (body == null) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            long n = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                sink.accept(++n, line.getBytes(StandardCharsets.UTF_8), line);
            }
            return;
        }
        byte[] file = body.file != null ? Files.readAllBytes(body.file) : null;
        int times = count != null ? count : 1;
        for (int n = 1; n <= times; n++) {
            if (file != null) {
                sink.accept(n, file, null);
            } else {
                String text = body.text.replace("{n}", Integer.toString(n));
                sink.accept(n, text.getBytes(StandardCharsets.UTF_8), text);
            }
        }
    }
}
