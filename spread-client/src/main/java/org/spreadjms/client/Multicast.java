package org.spreadjms.client;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** A message to multicast: destinations, service type, SELF_DISCARD, 16-bit message type and payload. */
public final class Multicast {
    private final List<String> groups;
    private ServiceType service = ServiceType.AGREED;
    private boolean selfDiscard;
    private short messType;
    private byte[] data = new byte[0];
    private int offset;
    private int length;

    private Multicast(List<String> groups) {
        this.groups = groups;
    }

    /** To one or several groups and/or private group names. */
    public static Multicast to(String... groups) {
        return new Multicast(List.of(groups));
    }

    public static Multicast to(Collection<String> groups) {
        return new Multicast(List.copyOf(groups));
    }

    /** Service type (default AGREED). */
    public Multicast service(ServiceType service) {
        this.service = Objects.requireNonNull(service, "service");
        return this;
    }

    /** Do not deliver the message back to this session. */
    public Multicast selfDiscard(boolean on) {
        this.selfDiscard = on;
        return this;
    }

    public Multicast messType(short messType) {
        this.messType = messType;
        return this;
    }

    public Multicast data(byte[] data) {
        return data(data, 0, data.length);
    }

    public Multicast data(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        this.data = data;
        this.offset = offset;
        this.length = length;
        return this;
    }

    List<String> groups() {
        return groups;
    }

    ServiceType service() {
        return service;
    }

    boolean selfDiscard() {
        return selfDiscard;
    }

    short messType() {
        return messType;
    }

    byte[] data() {
        return data;
    }

    int offset() {
        return offset;
    }

    int length() {
        return length;
    }
}
