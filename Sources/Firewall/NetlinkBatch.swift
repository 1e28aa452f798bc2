import CNftnl

/// An nftables transaction as bytes: BATCH_BEGIN, the messages, BATCH_END — what one `sendto` on a netlink socket
/// hands the kernel, which applies all of it or none.
///
/// Built without a socket, so that tests read the very bytes the kernel would get. Each message asks for an ACK
/// (`NLM_F_ACK`); the kernel answers every one of them (an error or a zero) once the whole batch was processed,
/// and `expectedAcknowledgements` says how many answers to wait for.
public struct NetlinkBatch: Sendable {
    /// The messages so far, each padded to 4 bytes, without the closing BATCH_END.
    private var body: [UInt8] = []
    /// The sequence number of BATCH_BEGIN; the messages follow it.
    public let firstSequence: UInt32
    /// The sequence number of the next message.
    private(set) var nextSequence: UInt32
    /// How many messages (BATCH_BEGIN and BATCH_END aside) the kernel will acknowledge.
    public private(set) var expectedAcknowledgements = 0
    /// The nftables message types in order (without the subsystem byte), for tests and logs.
    public private(set) var messageTypes: [UInt16] = []

    /// A batch whose messages are numbered from `sequence` on.
    public init(sequence: UInt32) {
        firstSequence = sequence
        nextSequence = sequence
        append { buffer, sequence in nftnl_batch_begin(buffer, sequence) }
    }

    /// Appends one nftables message: `type` (`NFT_MSG_NEWTABLE`…) for `family`, with `flags` besides
    /// `NLM_F_REQUEST | NLM_F_ACK`, its payload written by `payload` into the header it gets.
    mutating func append(
        _ type: nf_tables_msg_types, family: UInt16, flags: Int32 = 0,
        payload: (UnsafeMutablePointer<nlmsghdr>) -> Void
    ) {
        append { buffer, sequence in
            let header = nftnl_nlmsg_build_hdr(
                buffer, UInt16(type.rawValue), family, UInt16(flags | NLM_F_ACK), sequence)
            if let header { payload(header) }
            return header
        }
        expectedAcknowledgements += 1
        messageTypes.append(UInt16(type.rawValue))
    }

    /// The finished batch: the messages and BATCH_END.
    public var bytes: [UInt8] {
        var copy = self
        copy.append { buffer, sequence in nftnl_batch_end(buffer, sequence) }
        return copy.body
    }

    /// Whether an answer numbered `sequence` answers a message of this batch.
    public func contains(sequence: UInt32) -> Bool { sequence &- firstSequence < nextSequence &- firstSequence }

    /// Builds one message in a scratch page (libnftnl writes into a caller's buffer) and copies it in.
    private mutating func append(
        _ build: (UnsafeMutablePointer<CChar>, UInt32) -> UnsafeMutablePointer<nlmsghdr>?
    ) {
        let size = gh_mnl_socket_buffer_size()
        withUnsafeTemporaryAllocation(byteCount: size, alignment: 16) { page in
            page.initializeMemory(as: UInt8.self, repeating: 0)
            let start = page.baseAddress!.assumingMemoryBound(to: CChar.self)
            guard let header = build(start, nextSequence) else { return }
            let length = Int(header.pointee.nlmsg_len)
            let padded = (length + 3) & ~3
            body.append(contentsOf: UnsafeRawBufferPointer(start: page.baseAddress, count: min(padded, size)))
        }
        nextSequence &+= 1
    }
}
