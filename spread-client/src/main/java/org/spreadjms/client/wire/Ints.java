package org.spreadjms.client.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** 32-bit integers in byte arrays, in either order. */
final class Ints {
    private static final VarHandle LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private Ints() {
    }

    static int get(byte[] b, int offset, ByteOrder order) {
        return order == ByteOrder.LITTLE_ENDIAN ? (int) LE.get(b, offset) : (int) BE.get(b, offset);
    }

    static void put(byte[] b, int offset, int value, ByteOrder order) {
        if (order == ByteOrder.LITTLE_ENDIAN) {
            LE.set(b, offset, value);
        } else {
            BE.set(b, offset, value);
        }
    }

    static int getLE(byte[] b, int offset) {
        return (int) LE.get(b, offset);
    }

    static void putLE(byte[] b, int offset, int value) {
        LE.set(b, offset, value);
    }
}
