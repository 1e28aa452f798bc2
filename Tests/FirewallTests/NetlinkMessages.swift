import CNftnl
import Firewall

/// The netlink messages of a batch's bytes, walked the way the kernel does.
struct NetlinkMessages {
    struct Message {
        /// The nftables message type (the subsystem byte removed), or the batch begin/end type.
        var type: UInt16
        var flags: UInt16
        var sequence: UInt32
        /// The whole message, header included.
        var bytes: [UInt8]
    }

    var messages: [Message] = []

    init(_ bytes: [UInt8]) {
        var copy = bytes
        copy.withUnsafeMutableBytes { raw in
            var remaining = Int32(raw.count)
            var message: UnsafeMutablePointer<nlmsghdr>? = raw.baseAddress?.assumingMemoryBound(to: nlmsghdr.self)
            while let current = message, mnl_nlmsg_ok(current, remaining) {
                let length = Int(current.pointee.nlmsg_len)
                messages.append(
                    Message(
                        type: current.pointee.nlmsg_type & 0xFF, flags: current.pointee.nlmsg_flags,
                        sequence: current.pointee.nlmsg_seq,
                        bytes: Array(UnsafeRawBufferPointer(start: UnsafeRawPointer(current), count: length))))
                message = mnl_nlmsg_next(current, &remaining)
            }
        }
    }

    var types: [UInt16] { messages.map(\.type) }

    static let begin = UInt16(NFNL_MSG_BATCH_BEGIN)
    static let end = UInt16(NFNL_MSG_BATCH_END)
    static func type(_ type: nf_tables_msg_types) -> UInt16 { UInt16(type.rawValue) }
}

extension NetlinkMessages.Message {
    /// Parses the message with `parse` (an `nftnl_*_nlmsg_parse`) into an object `alloc` makes, and reads it.
    func withParsed<Result>(
        alloc: () -> OpaquePointer?, free: (OpaquePointer) -> Void,
        parse: (UnsafePointer<nlmsghdr>, OpaquePointer) -> Int32, read body: (OpaquePointer) -> Result
    ) -> Result? {
        guard let object = alloc() else { return nil }
        defer { free(object) }
        var copy = bytes
        let parsed = copy.withUnsafeMutableBytes { raw in
            parse(raw.baseAddress!.assumingMemoryBound(to: nlmsghdr.self), object)
        }
        guard parsed >= 0 else { return nil }
        return body(object)
    }
}
