import Capture
import Dispatch
import Foundation
import GatehousePolicy
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SIPMessage
import Transport

#if canImport(Glibc)
    import Glibc
#endif

/// Live capture of the node's SIP (`capture:`): every message received and sent, on both sides of the border,
/// with the addresses it had on the wire, into rotating pcap files and/or to a HEPv3 collector.
///
/// Recording costs the signalling path one copy of the bytes and a hop onto the tap's own queue; framing, file
/// writes and HEP datagrams happen there. Messages go into the pcap files as UDP datagrams whatever their
/// transport (sngrep and Wireshark read SIP in UDP without needing a TCP handshake the node never captured);
/// HEP says the real transport. Files are flushed once a second, so a reader sees at most a second's lag.
final class SignallingTap: @unchecked Sendable {  // the writer and socket are touched on `queue` only
    private let queue = DispatchQueue(label: "gatehouse.capture")
    private let settings: CaptureSettings
    private var files: RotatingPcapWriter?
    private var hep: HEPSender?
    private var flushTimer: (any DispatchSourceTimer)?
    private let logger: Logger

    /// Opens the directory (relative paths against `policyDirectory`) and the collector's socket; a part that
    /// cannot be opened is logged and left out, the other still works.
    init(_ settings: CaptureSettings, node: String, policyDirectory: String, logger: Logger) {
        self.settings = settings
        self.logger = logger
        if let directory = settings.directory {
            let path = directory.hasPrefix("/") ? directory : policyDirectory + "/" + directory
            do {
                files = try RotatingPcapWriter(
                    directory: path, prefix: "sip-\(node)", fileSize: settings.fileSize, files: settings.files)
                logger.notice("capturing SIP", metadata: ["directory": "\(path)"])
            } catch {
                logger.error("cannot capture SIP to files", metadata: ["error": "\(error)"])
            }
        }
        if let collector = settings.hep {
            hep = HEPSender(collector)
            if hep == nil {
                logger.error("cannot open a socket for HEP export", metadata: ["collector": "\(collector.host)"])
            } else {
                logger.notice("exporting SIP as HEPv3", metadata: ["collector": "\(collector.host):\(collector.port)"])
            }
        }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler { [weak self] in self?.flushFiles() }
        timer.resume()
        flushTimer = timer
    }

    /// The settings this tap was made for (a reload that changes them replaces it).
    var configuration: CaptureSettings { settings }

    /// Records one message: `bytes` from `source` to `destination` over `transport`.
    func record(_ bytes: [UInt8], from source: TapAddress, to destination: TapAddress, transport: SIPTransport) {
        let timestamp = Self.now()
        queue.async { [self] in
            guard let from = IPAddress(parsing: source.host), let to = IPAddress(parsing: destination.host) else {
                return
            }
            if let writer = files {
                let frame = PacketBuilder.udpFrame(
                    from: from, source.port, to: to, destination.port, payload: bytes)
                do {
                    try writer.write(frame, timestamp: timestamp)
                } catch {
                    logger.error("SIP capture to files stopped", metadata: ["error": "\(error)"])
                    files = nil
                }
            }
            if let hep, let collector = settings.hep {
                let packet = HEPPacket(
                    source: from, sourcePort: source.port, destination: to, destinationPort: destination.port,
                    transportProtocol: transport.isStream ? 6 : 17, timestamp: timestamp,
                    agentID: collector.agentID, password: collector.password, payload: bytes)
                hep.send(packet.encoded)
            }
        }
    }

    /// Flushes and closes; waits until everything recorded so far is written.
    func close() {
        queue.sync {
            flushTimer?.cancel()
            flushTimer = nil
            flushFiles()
            files = nil
            hep?.close()
            hep = nil
        }
    }

    private func flushFiles() {
        do {
            try files?.flush()
        } catch {
            logger.error("SIP capture to files stopped", metadata: ["error": "\(error)"])
            files = nil
        }
    }

    private static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}

/// One end of a captured message.
struct TapAddress: Sendable {
    var host: String
    var port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    init(_ address: SocketAddress) {
        self.init(host: address.ipAddress ?? "0.0.0.0", port: address.port ?? 0)
    }
}

/// A UDP socket toward the HEP collector (non-blocking: a collector that is down must never slow signalling).
final class HEPSender {
    private let descriptor: Int32
    private var address: sockaddr_storage
    private let length: socklen_t

    init?(_ collector: HEPSettings) {
        var storage = sockaddr_storage()
        var length: socklen_t = 0
        if let v4 = try? IPv4Address(parsing: collector.host) {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = in_port_t(UInt16(collector.port).bigEndian)
            sin.sin_addr = in_addr(s_addr: v4.value.bigEndian)
            withUnsafeBytes(of: sin) { bytes in
                withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: bytes) }
            }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        } else {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = in_port_t(UInt16(collector.port).bigEndian)
            guard inet_pton(AF_INET6, collector.host, &sin6.sin6_addr) == 1 else { return nil }
            withUnsafeBytes(of: sin6) { bytes in
                withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: bytes) }
            }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        }
        let descriptor = socket(Int32(storage.ss_family), Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
        self.address = storage
        self.length = length
    }

    func send(_ datagram: [UInt8]) {
        let length = self.length
        _ = datagram.withUnsafeBytes { bytes in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, bytes.baseAddress, bytes.count, 0, $0, length)
                }
            }
        }
    }

    func close() {
        Glibc.close(descriptor)
    }
}

/// The node's tap, replaceable by a reload; empty when the policy captures nothing (then recording costs one
/// uncontended lock).
final class SignallingTapSlot: Sendable {
    private let tap = NIOLockedValueBox<SignallingTap?>(nil)

    var current: SignallingTap? { tap.withLockedValue { $0 } }

    /// Installs `new`, returning the tap it replaces (for the caller to close).
    func replace(with new: SignallingTap?) -> SignallingTap? {
        tap.withLockedValue { slot in
            defer { slot = new }
            return slot
        }
    }

    func received(_ bytes: [UInt8], from remote: TapAddress, on listener: SIPEndpoint) {
        guard let tap = current else { return }
        tap.record(
            bytes, from: remote, to: TapAddress(host: listener.host, port: listener.port), transport: listener.transport
        )
    }

    func sent(_ bytes: [UInt8], from local: SIPEndpoint, to remote: TapAddress, transport: SIPTransport) {
        guard let tap = current else { return }
        tap.record(bytes, from: TapAddress(host: local.host, port: local.port), to: remote, transport: transport)
    }
}
