/// Call detail records (`cdr:`): one JSON line per call, appended to `cdr.jsonl` and rotated to
/// `cdr-YYYYMMDDTHHMMSS.jsonl`. Written by default (the section absent) into the node's state directory.
public struct CDRSettings: Sendable, Hashable {
    /// false (`enabled: false`): no records are written.
    public var isEnabled: Bool
    /// Where the files go (relative: against the policy file's directory); nil: the directory of `node.state`.
    public var directory: String?
    /// The file is rotated once it holds this many bytes.
    public var fileSize: Int
    /// The file is rotated once it is this old (nil: by size only).
    public var interval: Duration?
    /// The most rotated files kept; the oldest is deleted when a rotation would exceed it.
    public var files: Int

    public static let defaultFileSize = 16 * 1024 * 1024
    public static let defaultFiles = 10

    public init(
        isEnabled: Bool = true, directory: String? = nil, fileSize: Int = CDRSettings.defaultFileSize,
        interval: Duration? = nil, files: Int = CDRSettings.defaultFiles
    ) {
        self.isEnabled = isEnabled
        self.directory = directory
        self.fileSize = fileSize
        self.interval = interval
        self.files = files
    }
}
