import CNftnl
import Glibc

/// A NETLINK_NETFILTER socket: sends a batch and collects the kernel's answer to each of its messages, or sends a
/// dump request and hands each answer message to a closure.
///
/// Blocking, with a receive timeout, so a kernel that never answers costs `timeout` and an error, not a hung
/// thread. Not thread-safe: its owner (`KernelBlocklist`) serializes calls.
final class NetlinkSocket {
    private let socket: OpaquePointer
    private let portID: UInt32
    private var buffer: [UInt8]
    /// The next sequence number; batches and dumps are numbered from it, so answers can be told apart from any
    /// late answer to an earlier request.
    private(set) var sequence: UInt32

    init(timeout: Duration = .seconds(2)) throws(FirewallError) {
        guard let socket = mnl_socket_open(NETLINK_NETFILTER) else {
            throw FirewallError.from(errno: errno, "opening a netfilter netlink socket")
        }
        guard mnl_socket_bind(socket, 0, pid_t(MNL_SOCKET_AUTOPID)) == 0 else {
            let error = FirewallError.from(errno: errno, "binding a netfilter netlink socket")
            mnl_socket_close(socket)
            throw error
        }
        let (seconds, attoseconds) = timeout.components
        var interval = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        _ = setsockopt(
            mnl_socket_get_fd(socket), SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        self.socket = socket
        portID = mnl_socket_get_portid(socket)
        buffer = [UInt8](repeating: 0, count: max(gh_mnl_socket_buffer_size(), 16_384))
        // A different starting point per socket, as nft does (time-based), so answers to a previous process's
        // socket cannot be mistaken for ours.
        sequence = UInt32(truncatingIfNeeded: time(nil))
    }

    deinit { mnl_socket_close(socket) }

    /// Takes `count` sequence numbers for the next request; returns the first.
    func reserveSequence(_ count: Int) -> UInt32 {
        defer { sequence &+= UInt32(count) }
        return sequence
    }

    /// Sends `batch`; returns once the kernel has answered every message; throws the first error it reported (the
    /// kernel then applied nothing of the batch).
    func perform(_ batch: NetlinkBatch, _ what: String) throws(FirewallError) {
        let bytes = batch.bytes
        guard mnl_socket_sendto(socket, bytes, bytes.count) == bytes.count else {
            throw FirewallError.from(errno: errno, what)
        }
        var answered = 0
        var failure: FirewallError?
        while answered < batch.expectedAcknowledgements {
            // Once an error has come, the remaining answers are already queued: read without waiting.
            let received = receive(waiting: failure == nil)
            guard received > 0 else {
                if let failure { throw failure }
                throw FirewallError.from(errno: received == 0 ? ETIMEDOUT : errno, what)
            }
            forEachMessage(count: received) { header in
                guard batch.contains(sequence: header.pointee.nlmsg_seq),
                    header.pointee.nlmsg_type == UInt16(NLMSG_ERROR)
                else { return }
                answered += 1
                let code = mnl_nlmsg_get_payload(header).assumingMemoryBound(to: nlmsgerr.self).pointee.error
                if code < 0, failure == nil { failure = FirewallError.from(errno: -code, what) }
            }
        }
        if let failure { throw failure }
    }

    /// Sends a dump request (`request`, numbered `sequence`) and passes each answer message to `each` until the
    /// kernel says it is done; throws an error the kernel answered instead.
    func dump(
        _ request: [UInt8], sequence: UInt32, _ what: String, each: (UnsafeMutablePointer<nlmsghdr>) -> Void
    ) throws(FirewallError) {
        guard mnl_socket_sendto(socket, request, request.count) == request.count else {
            throw FirewallError.from(errno: errno, what)
        }
        var done = false
        var failure: FirewallError?
        while !done {
            let received = receive(waiting: true)
            guard received > 0 else { throw FirewallError.from(errno: received == 0 ? ETIMEDOUT : errno, what) }
            forEachMessage(count: received) { header in
                guard header.pointee.nlmsg_seq == sequence else { return }
                switch Int32(header.pointee.nlmsg_type) {
                case NLMSG_DONE:
                    done = true
                case NLMSG_ERROR:
                    let code = mnl_nlmsg_get_payload(header).assumingMemoryBound(to: nlmsgerr.self).pointee.error
                    if code < 0 { failure = FirewallError.from(errno: -code, what) }
                    done = true
                default:
                    each(header)
                }
            }
        }
        if let failure { throw failure }
    }

    /// One datagram into the buffer; its length, 0 when nothing came in time (or, not waiting, was queued), -1 on
    /// another error (`errno`).
    private func receive(waiting: Bool) -> Int {
        let fd = mnl_socket_get_fd(socket)
        let count = buffer.withUnsafeMutableBytes { raw in
            recv(fd, raw.baseAddress, raw.count, waiting ? 0 : Int32(MSG_DONTWAIT))
        }
        if count < 0, errno == EAGAIN || errno == EWOULDBLOCK { return 0 }
        return count
    }

    /// Walks the netlink messages of the last datagram received.
    private func forEachMessage(count: Int, _ body: (UnsafeMutablePointer<nlmsghdr>) -> Void) {
        buffer.withUnsafeMutableBytes { raw in
            var remaining = Int32(count)
            var message: UnsafeMutablePointer<nlmsghdr>? = raw.baseAddress?.assumingMemoryBound(to: nlmsghdr.self)
            while let current = message, mnl_nlmsg_ok(current, remaining) {
                if current.pointee.nlmsg_pid == portID || current.pointee.nlmsg_pid == 0 { body(current) }
                message = mnl_nlmsg_next(current, &remaining)
            }
        }
    }
}
