import NIOCore

/// Buffers of one event loop's own for packets the relay changes (SRTP protect and unprotect), reused in turn.
///
/// A received datagram is a slice of NIO's shared read buffer: changing it in place would copy it into a fresh
/// allocation, and protecting it needs room for the authentication tag that the slice does not have. So a packet
/// to transform is copied into the next buffer of this ring, which has the room, and transformed there. The write
/// holds a reference to the buffer until NIO has sent it (at the end of the read batch, `RelayStream.flush`); by
/// the time the ring comes round again it is the only owner, and the copy allocates nothing. Should a write still
/// be pending then (a socket full for a whole turn of the ring), the buffer is copied once more, which is correct,
/// only slower.
///
/// One ring per event loop (`MediaRelay.scratch(for:)`), used by that loop only: hence `@unchecked Sendable`.
final class PacketScratch: @unchecked Sendable {
    private var buffers: [ByteBuffer]
    private var next = 0
    /// Bytes each buffer holds: the largest datagram plus the room `SRTPContext.protect` needs.
    let bufferCapacity: Int

    init(slots: Int, datagramSize: Int) {
        bufferCapacity = datagramSize + SRTPContext.trailerRoom
        buffers = []
        buffers.reserveCapacity(slots)
        let allocator = ByteBufferAllocator()
        for _ in 0..<max(1, slots) { buffers.append(allocator.buffer(capacity: 0)) }
    }

    /// Copies `packet` into the ring's next buffer, lets `body` change it in place, and returns it; nil when the
    /// packet is too large or `body` refuses it.
    func transform(_ packet: ByteBuffer, _ body: (inout ByteBuffer) -> Bool) -> ByteBuffer? {
        guard packet.readableBytes + SRTPContext.trailerRoom <= bufferCapacity else { return nil }
        let slot = next
        next = next + 1 == buffers.count ? 0 : next + 1
        buffers[slot].clear()
        buffers[slot].reserveCapacity(bufferCapacity)
        buffers[slot].writeImmutableBuffer(packet)
        guard body(&buffers[slot]) else { return nil }
        return buffers[slot]
    }
}
