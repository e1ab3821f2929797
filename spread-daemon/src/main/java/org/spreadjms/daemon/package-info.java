/**
 * An embedded single-node Spread daemon speaking the Spread 4 client protocol ({@link
 * org.spreadjms.daemon.EmbeddedSpreadDaemon}).
 *
 * <h2>Design</h2>
 * One selector thread ({@link org.spreadjms.daemon.SelectorLoop}) accepts, runs the handshakes, reads, and hands each
 * complete validated frame at once to the {@link org.spreadjms.daemon.Sequencer}, which routes it or applies the
 * join, leave or kill. Processing frames in the one order they are read gives a single total order (AGREED, SAFE),
 * FIFO per sender, and virtual synchrony (membership changes are points in that order). A data message is encoded
 * once and the same array is queued for every target; queues are written at the end of each selector round, many
 * frames per system call.
 *
 * <h2>Deliberate differences from the Spread 4.0.0 daemon</h2>
 * <ul>
 *   <li>A connect request split across TCP segments is waited for (the real daemon closes). Bytes pipelined after
 *       the private name are still REJECT_ILLEGAL_NAME, as there.</li>
 *   <li>The whole handshake has one deadline (default 1 s from the TCP accept). A client that sent nothing, or not
 *       even its version bytes, is closed without a byte; one that stopped later gets the code the real daemon sends
 *       for those missing bytes (REJECT_NO_NAME, REJECT_ILLEGAL_NAME, REJECT_AUTH). Other connections are accepted
 *       meanwhile (the real daemon stalls for up to 1 s).</li>
 *   <li>The auth list is {@code "NULL SPREADJMS-LIMITS "}: the extra token tells this project's client that up to
 *       100 groups and frames up to the validation limit work here. The C library only checks that NULL is listed;
 *       the official Java client ignores the list.</li>
 *   <li>Up to 100 destination groups are routed correctly, and every frame that passes validation
 *       ({@code data_len + 32 * num_groups <= 143952}) is delivered (4.0.0 misroutes 44 or more groups and aborts on
 *       frames above 143599 bytes).</li>
 *   <li>Frames whose type carries bits other than one service or JOIN/LEAVE/KILL bit and SELF_DISCARD, group slots
 *       without a NUL, and JOIN/LEAVE without a group slot drop the session (the real daemon passes the bits on and
 *       copies the slots).</li>
 *   <li>Flow control ({@link org.spreadjms.daemon.Backpressure}): when a session has half its queue bound waiting
 *       (500 frames, or 8 MiB: the queue is bounded in bytes too, 16 MiB, where Spread allows 1000 frames of up to
 *       144 KB) and its socket takes no more, each client that sends it a frame (data or a join/leave that notifies it) is
 *       no longer read until that session drains to a quarter, so its senders are slowed in TCP rather than a slow
 *       receiver dropped at the first burst; clients that send elsewhere are read as usual and keep their latency
 *       (the real daemon pauses reading from everyone, for its ordering buffer, and cuts a receiver at 1000 queued
 *       messages at once). Total order holds: a waiting client's frames are not yet ordered, none is skipped. A
 *       receiver still congested after the congestion timeout (default 10 s) is cut off, and so is one whose queue
 *       reaches its bound (only when hundreds of clients send to it at once, as each adds one frame before it
 *       waits); a waiting client's unprocessed bytes are at most one read (256 KiB), so memory stays bounded.</li>
 *   <li>Joins are bounded ({@link org.spreadjms.daemon.DaemonLimits#maxGroupsPerSession()}, default 10,000 per
 *       session, and {@link org.spreadjms.daemon.DaemonLimits#maxGroups()}, default 100,000 in the daemon): a join
 *       past either drops the joining session, as other frames failing validation do. The real daemon has no such
 *       limits, so one client can make it hold groups until memory runs out.</li>
 *   <li>Invented private names are {@code r<random>-<counter>} rather than {@code r<random>-<socket fd>}.</li>
 * </ul>
 */
package org.spreadjms.daemon;
