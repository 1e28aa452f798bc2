import Foundation

/// Pcap files in one directory, each closed at `fileSize` bytes and replaced by a new one, at most `files` kept
/// (the oldest deleted): a capture that runs for months without filling the disk.
///
/// Files are named `PREFIX-YYYYMMDD-HHMMSS-N.pcap` (UTC, N counting up), so they sort in time order; a restart
/// continues the count after the files it finds and applies the limit to them too. Not thread-safe: one owner
/// (the node's capture queue) writes.
public final class RotatingPcapWriter {
    public let directory: String
    public let prefix: String
    public let fileSize: Int
    public let files: Int
    private var current: PcapFileWriter?
    private var currentSize = 0
    private var sequence = 0

    public init(directory: String, prefix: String, fileSize: Int, files: Int) throws(CaptureFileError) {
        self.directory = directory
        self.prefix = prefix
        self.fileSize = fileSize
        self.files = max(1, files)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CaptureFileError(path: directory, detail: "\(error)")
        }
        sequence = existingFiles().compactMap(Self.sequenceNumber).max() ?? 0
    }

    /// The files of this writer in the directory, oldest first.
    public func existingFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix(prefix + "-") && $0.hasSuffix(".pcap") }
            .sorted { (Self.sequenceNumber($0) ?? 0) < (Self.sequenceNumber($1) ?? 0) }
    }

    /// Adds one Ethernet frame taken at `timestamp` (nanoseconds since the Unix epoch), starting a new file first
    /// when the current one is full.
    public func write(_ frame: [UInt8], timestamp: Int64) throws(CaptureFileError) {
        if current == nil || currentSize + 16 + frame.count > fileSize {
            try rotate(at: timestamp)
        }
        try current?.write(frame, timestamp: timestamp)
        currentSize += 16 + frame.count
    }

    /// Writes out what is buffered (the files are readable up to here).
    public func flush() throws(CaptureFileError) {
        try current?.flush()
    }

    private func rotate(at timestamp: Int64) throws(CaptureFileError) {
        try current?.flush()
        current = nil
        sequence += 1
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        let stamp = formatter.string(from: Date(timeIntervalSince1970: Double(timestamp) / 1e9))
        let path = directory + "/\(prefix)-\(stamp)-\(sequence).pcap"
        current = try PcapFileWriter(path: path, linkType: .ethernet)
        currentSize = 24
        let all = existingFiles()
        for name in all.prefix(max(0, all.count - files)) {
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }

    /// N of `PREFIX-YYYYMMDD-HHMMSS-N.pcap`.
    static func sequenceNumber(_ name: String) -> Int? {
        guard let dash = name.lastIndex(of: "-"), name.hasSuffix(".pcap") else { return nil }
        return Int(name[name.index(after: dash)..<name.index(name.endIndex, offsetBy: -5)])
    }
}
