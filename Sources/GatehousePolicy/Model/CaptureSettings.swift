/// Live SIP capture (`capture:`): every SIP message the node receives or sends, on both sides of the border,
/// written to rotating pcap files that sngrep and Wireshark open, and/or sent to a Homer collector as HEPv3.
public struct CaptureSettings: Sendable, Hashable {
    /// Where the pcap files go (relative: against the policy file's directory); nil: no files.
    public var directory: String?
    /// A file is closed and a new one started once it holds this many bytes.
    public var fileSize: Int
    /// The most files kept; the oldest is deleted when a new one would exceed it.
    public var files: Int
    /// The Homer collector, when messages are exported as HEPv3 over UDP.
    public var hep: HEPSettings?

    public static let defaultFileSize = 16 * 1024 * 1024
    public static let defaultFiles = 10

    public init(
        directory: String? = nil, fileSize: Int = CaptureSettings.defaultFileSize,
        files: Int = CaptureSettings.defaultFiles, hep: HEPSettings? = nil
    ) {
        self.directory = directory
        self.fileSize = fileSize
        self.files = files
        self.hep = hep
    }
}

/// A HEPv3 (Homer) collector.
public struct HEPSettings: Sendable, Hashable {
    public var host: String
    public var port: Int
    /// The capture agent id each packet carries (HEP chunk 0x000c).
    public var agentID: UInt32
    /// The collector's shared password (HEP chunk 0x000e), if it asks for one.
    public var password: String?

    public init(host: String, port: Int, agentID: UInt32 = 2001, password: String? = nil) {
        self.host = host
        self.port = port
        self.agentID = agentID
        self.password = password
    }
}
