import Yams

extension PolicyReader {
    /// `cdr: { enabled, directory, file_size, interval, files }`, in the style of `capture:`.
    static func readCDR(_ yaml: Node, reader: inout YAMLReader) -> CDRSettings {
        var settings = CDRSettings()
        guard
            let entries = reader.mapping(
                yaml, "cdr", allowed: ["enabled", "directory", "file_size", "interval", "files"])
        else { return settings }
        if let node = entries["enabled"], let enabled = reader.boolean(node, "cdr.enabled") {
            settings.isEnabled = enabled
        }
        if let node = entries["directory"], let directory = reader.string(node, "cdr.directory") {
            if directory.isEmpty {
                reader.report(.badValue, "cdr.directory must not be empty", at: node)
            } else {
                settings.directory = directory
            }
        }
        if let node = entries["file_size"], let text = reader.string(node, "cdr.file_size") {
            if let size = parseByteSize(text), (4 * 1024...4 * 1024 * 1024 * 1024).contains(size) {
                settings.fileSize = size
            } else {
                reader.report(
                    .badValue, "cdr.file_size '\(text)' must be like 512KB, 16MB or 1GB (4KB to 4GB)", at: node)
            }
        }
        if let node = entries["interval"] {
            settings.interval = reader.duration(node, "cdr.interval", in: .seconds(1) ... .seconds(31 * 86_400))
        }
        if let node = entries["files"], let files = reader.integer(node, "cdr.files", in: 1...10_000) {
            settings.files = files
        }
        return settings
    }
}
