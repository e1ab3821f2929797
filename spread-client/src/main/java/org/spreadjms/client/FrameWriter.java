package org.spreadjms.client;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.spreadjms.client.transport.Transport;
import org.spreadjms.client.wire.FrameEncoder;
import org.spreadjms.client.wire.FrameHeader;
import org.spreadjms.client.wire.GroupNames;

/**
 * Writes frames from many threads, combining them. A caller encodes its frame into the shared pending buffer under
 * one lock. If no write is under way it becomes the writer: it writes everything pending in one call, and again until
 * nothing is left. Otherwise it waits until the writing thread has written its frame. So every call returns only once
 * its frame is written (errors are the caller's own), a lone thread writes directly with no hand-off, and concurrent
 * senders share system calls. Order is the order in which callers took the lock.
 *
 * <p>A write stuck longer than the write timeout is detected by the reader ({@link #blockedNanos()}), which fails the
 * connection; closing the transport then releases the writer and every waiter with an error.
 */
final class FrameWriter {
    private static final int INITIAL_BUFFER = 8 * 1024;
    private static final int SHRINK_ABOVE = 1024 * 1024;

    private final Transport transport;
    private final byte[] senderSlot;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    private byte[] pending = new byte[INITIAL_BUFFER];
    private byte[] spare = new byte[INITIAL_BUFFER];
    private int pendingLength;
    /** Bytes ever queued and ever written: a caller's frame is out once written reaches its end. */
    private long queued;
    private long written;
    private boolean writing;
    private IOException failure;
    private volatile long writeStartedNanos;

    FrameWriter(Transport transport, String privateGroup) {
        this.transport = transport;
        this.senderSlot = GroupNames.toSlot(privateGroup);
    }

    /**
     * Writes one frame, returning once it is written.
     *
     * @param type  type word without the marker
     * @param slots 32-byte destination slots
     * @throws IOException if this or an earlier write failed
     */
    void write(int type, byte[][] slots, short messType, byte[] data, int offset, int length) throws IOException {
        int total = FrameEncoder.frameLength(slots.length, length);
        lock.lock();
        try {
            checkUsable();
            append(type, slots, messType, data, offset, length, total);
            long mine = queued;
            if (writing) {
                while (written < mine && failure == null) {
                    progress.awaitNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
                if (written < mine) {
                    throw new IOException("writing to the daemon failed: " + failure.getMessage(), failure);
                }
                return;
            }
            writeAllPending();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // the frame is queued and the writing thread sends it: only this call gives up waiting
            java.io.InterruptedIOException ie = new java.io.InterruptedIOException(
                    "interrupted while another thread writes this frame; it is still sent");
            ie.initCause(e);
            throw ie;
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held; releases it around each write call. */
    private void writeAllPending() throws IOException {
        writing = true;
        try {
            while (pendingLength > 0) {
                byte[] out = pending;
                int n = pendingLength;
                pending = spare.length > SHRINK_ABOVE ? new byte[INITIAL_BUFFER] : spare;
                pendingLength = 0;
                lock.unlock();
                try {
                    writeStartedNanos = System.nanoTime();
                    transport.write(out, 0, n);
                } finally {
                    writeStartedNanos = 0;
                    lock.lock();
                }
                spare = out;
                written += n;
                progress.signalAll();
            }
        } catch (IOException e) {
            failure = e;
            progress.signalAll();
            throw e;
        } finally {
            writing = false;
        }
    }

    private void append(int type, byte[][] slots, short messType, byte[] data, int offset, int length, int total) {
        if (pending.length < pendingLength + total) {
            byte[] bigger = new byte[Math.max(pendingLength + total, pending.length * 2)];
            System.arraycopy(pending, 0, bigger, 0, pendingLength);
            pending = bigger;
        }
        byte[] b = pending;
        int p = pendingLength;
        FrameEncoder.writeHeader(b, p, type, senderSlot, slots.length, FrameHeader.hintLittleEndian(messType),
                length);
        p += FrameHeader.LENGTH;
        for (byte[] slot : slots) {
            FrameEncoder.writeSlot(b, p, slot);
            p += GroupNames.SLOT_BYTES;
        }
        System.arraycopy(data, offset, b, p, length);
        pendingLength += total;
        queued += total;
    }

    private void checkUsable() throws IOException {
        if (failure != null) {
            throw new IOException("writing to the daemon failed earlier: " + failure.getMessage(), failure);
        }
    }

    /** Nanos the current write call has been blocked, or 0 if none is under way. */
    long blockedNanos() {
        long started = writeStartedNanos;
        return started == 0 ? 0 : System.nanoTime() - started;
    }
}
