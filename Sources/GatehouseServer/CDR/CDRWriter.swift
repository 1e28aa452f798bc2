import Foundation
import GatehousePolicy
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Where and how CDRs are written: `cdr:` resolved against the node's directories.
struct CDRDestination: Sendable, Hashable {
    /// An absolute directory.
    var directory: String
    var fileSize: Int
    var interval: Duration?
    var files: Int
    /// Whether a missing directory is made: yes for `cdr.directory`; for the state directory no, since a node whose
    /// state lives elsewhere (or nowhere yet) should not leave records in a directory it invented.
    var createsDirectory = true

    /// `settings.directory` against the policy file's directory, else the directory `node.state` names; nil when
    /// CDRs are off.
    init?(_ settings: CDRSettings, state: String, policyDirectory: String) {
        guard settings.isEnabled else { return nil }
        let directory: String
        if let configured = settings.directory {
            directory = configured.hasPrefix("/") ? configured : policyDirectory + "/" + configured
        } else {
            let path = state.hasPrefix("sqlite:") ? String(state.dropFirst("sqlite:".count)) : state
            let file = path.hasPrefix("/") ? path : policyDirectory + "/" + path
            directory = URL(fileURLWithPath: file).deletingLastPathComponent().path
        }
        self.init(directory: directory, fileSize: settings.fileSize, interval: settings.interval, files: settings.files)
        createsDirectory = settings.directory != nil
    }

    init(directory: String, fileSize: Int, interval: Duration?, files: Int) {
        self.directory = directory
        self.fileSize = fileSize
        self.interval = interval
        self.files = files
    }
}

/// Appends one JSON line per call to `cdr.jsonl`, rotating it to `cdr-YYYYMMDDTHHMMSS.jsonl` (UTC, the time of
/// rotation) when the next line would pass `file_size` or the file is older than `interval`, and keeping at most
/// `files` rotated files.
///
/// Disk work runs on the writer's own serial queue: `write` returns at once, so the engine's event loop never
/// waits on a disk. A record is one `write(2)` on an `O_APPEND` descriptor, so a reader never sees half a line
/// from Gatehouse.
final class CDRWriter: Sendable {
    private let queue = DispatchQueue(label: "gatehouse.cdr")
    /// Touched only on `queue`.
    private let file: CDRFile
    /// The clock rotation goes by, read when a record is handed over (injected by tests).
    private let now: @Sendable () -> Date

    init(logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        file = CDRFile(logger: logger)
        self.now = now
    }

    func write(_ record: CallDetailRecord, to destination: CDRDestination) {
        let time = now()
        queue.async { [file] in file.append(record, to: destination, at: time) }
    }

    /// Waits until every record written so far is on disk (tests, stop).
    func flush() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            queue.async { done.resume() }
        }
    }

    /// Closes the file after what is queued.
    func close() {
        queue.async { [file] in file.close() }
    }

    /// The name of the file being written in a directory.
    static let currentName = "cdr.jsonl"

    /// The encoder of one record: snake_case keys, ISO 8601 UTC with milliseconds.
    static func encode(_ record: CallDetailRecord) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(timestamp(date))
        }
        return try encoder.encode(record)
    }

    /// `2026-11-21T19:04:56.123Z`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// The open CDR file; confined to `CDRWriter`'s queue, which is why it may be `@unchecked Sendable`.
private final class CDRFile: @unchecked Sendable {
    private let logger: Logger
    private var descriptor: CInt = -1
    private var directory: String?
    private var size = 0
    private var openedAt = Date()
    /// The last directory that could not be written, so that a broken disk logs once, not per call.
    private var failedDirectory: String?

    init(logger: Logger) {
        self.logger = logger
    }

    func append(_ record: CallDetailRecord, to destination: CDRDestination, at now: Date) {
        var line: Data
        do {
            line = try CDRWriter.encode(record)
        } catch {
            logger.error("cannot encode a CDR", metadata: ["error": "\(error)", "icid": "\(record.icid)"])
            return
        }
        line.append(0x0A)
        guard destination.createsDirectory || FileManager.default.fileExists(atPath: destination.directory) else {
            return
        }
        do {
            try open(destination, at: now)
            if size > 0, size + line.count > destination.fileSize || isTooOld(destination, at: now) {
                try rotate(destination, at: now)
            }
            let written = line.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            guard written == line.count else { throw CDRFileError(what: "write", path: destination.directory) }
            size += line.count
            failedDirectory = nil
        } catch {
            if failedDirectory != destination.directory {
                logger.error("cannot write CDRs", metadata: ["error": "\(error)"])
                failedDirectory = destination.directory
            }
            close()
        }
    }

    func close() {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
        descriptor = -1
        directory = nil
    }

    private func isTooOld(_ destination: CDRDestination, at now: Date) -> Bool {
        guard let interval = destination.interval else { return false }
        return now.timeIntervalSince(openedAt) >= Double(interval.components.seconds)
    }

    private func path(in directory: String, _ name: String) -> String { directory + "/" + name }

    /// Opens `cdr.jsonl` in the destination's directory (making the directory) unless it is open already.
    private func open(_ destination: CDRDestination, at now: Date) throws {
        if directory == destination.directory, descriptor >= 0 { return }
        close()
        try FileManager.default.createDirectory(atPath: destination.directory, withIntermediateDirectories: true)
        let file = path(in: destination.directory, CDRWriter.currentName)
        let opened = Glibc.open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard opened >= 0 else { throw CDRFileError(what: "open", path: file) }
        descriptor = opened
        directory = destination.directory
        var status = stat()
        size = fstat(opened, &status) == 0 ? Int(status.st_size) : 0
        // A file left by an earlier run counts from when it was last written, so that a restart does not reset
        // the rotation interval.
        openedAt = size > 0 ? Date(timeIntervalSince1970: TimeInterval(status.st_mtim.tv_sec)) : now
    }

    /// `cdr.jsonl` → `cdr-YYYYMMDDTHHMMSS.jsonl`, a fresh `cdr.jsonl`, and the oldest rotated files deleted.
    private func rotate(_ destination: CDRDestination, at now: Date) throws {
        close()
        let stamp = Self.rotationStamp(now)
        var name = "cdr-\(stamp).jsonl"
        var attempt = 1
        while FileManager.default.fileExists(atPath: path(in: destination.directory, name)) {
            attempt += 1
            name = "cdr-\(stamp)-\(attempt).jsonl"
        }
        try FileManager.default.moveItem(
            atPath: path(in: destination.directory, CDRWriter.currentName),
            toPath: path(in: destination.directory, name))
        let rotated = CDRFile.rotatedFiles(in: destination.directory)
        for old in rotated.dropLast(destination.files) {
            try? FileManager.default.removeItem(atPath: path(in: destination.directory, old))
        }
        try open(destination, at: now)
    }

    /// Rotated files in a directory, oldest first: by their time, then by the `-N` of a second rotation within
    /// the same second.
    static func rotatedFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        func order(_ name: String) -> (String, Int) {
            let stem = name.dropFirst("cdr-".count).dropLast(".jsonl".count)
            let parts = stem.split(separator: "-", maxSplits: 1)
            return (String(parts.first ?? ""), parts.count == 2 ? Int(parts[1]) ?? 0 : 1)
        }
        return names.filter { $0.hasPrefix("cdr-") && $0.hasSuffix(".jsonl") }.sorted { order($0) < order($1) }
    }

    /// `20261121T190456` (UTC).
    static func rotationStamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return String(format: "%04d", parts.year ?? 0) + two(parts.month) + two(parts.day) + "T" + two(parts.hour)
            + two(parts.minute) + two(parts.second)
    }
}

struct CDRFileError: Error, CustomStringConvertible {
    var what: String
    var path: String
    var errorNumber = errno

    var description: String { "\(what) \(path): \(String(cString: strerror(errorNumber)))" }
}
