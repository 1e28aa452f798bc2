#if canImport(Glibc)
    import Glibc
#endif

/// Writes a classic pcap file (nanosecond timestamps, magic 0xa1b23c4d) that tcpdump, Wireshark and sngrep open.
///
/// The format is two fixed little headers (https://www.tcpdump.org/manpages/pcap-savefile.5.html), so it is written
/// by hand into a buffer flushed in large writes; `PcapFileWriter.fileHeader` and `record` are pure for the tests.
public final class PcapFileWriter {
    public let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []

    /// Creates (or truncates) `path` and writes the file header.
    public init(path: String, linkType: LinkType = .ethernet) throws(CaptureFileError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw CaptureFileError(path: path, detail: String(cString: strerror(errno))) }
        self.path = path
        self.descriptor = descriptor
        buffer.reserveCapacity(1 << 20)
        buffer += Self.fileHeader(linkType: linkType)
    }

    deinit {
        close(descriptor)
    }

    /// Adds one packet taken at `timestamp` (nanoseconds since the Unix epoch).
    public func write(_ packet: [UInt8], timestamp: Int64) throws(CaptureFileError) {
        buffer += Self.record(packet, timestamp: timestamp)
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Writes out what is buffered.
    public func flush() throws(CaptureFileError) {
        var offset = 0
        while offset < buffer.count {
            let written = buffer[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else { throw CaptureFileError(path: path, detail: String(cString: strerror(errno))) }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// The 24-byte global header, little-endian, nanosecond resolution, snap length 262,144.
    public static func fileHeader(linkType: LinkType) -> [UInt8] {
        var header: [UInt8] = []
        header += littleEndian(UInt32(0xA1B2_3C4D))
        header += littleEndian(UInt16(2)) + littleEndian(UInt16(4))
        header += littleEndian(UInt32(0)) + littleEndian(UInt32(0))
        header += littleEndian(UInt32(262_144))
        header += littleEndian(UInt32(bitPattern: linkType.rawValue))
        return header
    }

    /// One record: seconds, nanoseconds, captured and original length, then the packet.
    public static func record(_ packet: [UInt8], timestamp: Int64) -> [UInt8] {
        var record: [UInt8] = []
        record.reserveCapacity(16 + packet.count)
        let seconds = timestamp >= 0 ? timestamp / 1_000_000_000 : 0
        let nanoseconds = timestamp >= 0 ? timestamp % 1_000_000_000 : 0
        record += littleEndian(UInt32(truncatingIfNeeded: seconds))
        record += littleEndian(UInt32(truncatingIfNeeded: nanoseconds))
        record += littleEndian(UInt32(packet.count)) + littleEndian(UInt32(packet.count))
        record += packet
        return record
    }

    private static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}
