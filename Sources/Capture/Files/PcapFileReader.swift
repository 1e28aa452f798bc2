import CPcap

/// Reads pcap and pcapng files through libpcap (`pcap_open_offline` tells the formats apart by their magic),
/// with timestamps in nanoseconds whatever precision the file has.
///
/// The only place libpcap is read from: everything after `next()` is pure (`CaptureDecoder`).
public final class PcapFileReader {
    public let path: String
    public let linkType: LinkType
    private let handle: OpaquePointer

    public init(path: String) throws(CaptureFileError) {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard
            let handle = pcap_open_offline_with_tstamp_precision(
                path, UInt32(PCAP_TSTAMP_PRECISION_NANO), &errorBuffer)
        else {
            throw CaptureFileError(
                path: path,
                detail: String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        self.path = path
        self.handle = handle
        self.linkType = LinkType(rawValue: pcap_datalink(handle))
    }

    deinit {
        pcap_close(handle)
    }

    /// The next packet; nil at the end of the file.
    public func next() throws(CaptureFileError) -> CapturedPacket? {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        switch pcap_next_ex(handle, &header, &data) {
        case 1:
            guard let header, let data else { return nil }
            let length = Int(header.pointee.caplen)
            let timestamp = Int64(header.pointee.ts.tv_sec) &* 1_000_000_000 &+ Int64(header.pointee.ts.tv_usec)
            return CapturedPacket(
                timestamp: timestamp, linkType: linkType,
                bytes: Array(UnsafeBufferPointer(start: data, count: length)))
        case PCAP_ERROR_BREAK:
            return nil
        default:
            throw CaptureFileError(path: path, detail: String(cString: pcap_geterr(handle)))
        }
    }
}
