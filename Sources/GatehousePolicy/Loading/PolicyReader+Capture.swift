import Yams

extension PolicyReader {
    /// `capture: { directory, file_size, files, hep: { address, agent_id, password } }`: at least a directory or
    /// a collector.
    static func readCapture(_ yaml: Node, reader: inout YAMLReader) -> CaptureSettings? {
        guard let entries = reader.mapping(yaml, "capture", allowed: ["directory", "file_size", "files", "hep"])
        else { return nil }
        var settings = CaptureSettings()
        if let node = entries["directory"], let directory = reader.string(node, "capture.directory") {
            if directory.isEmpty {
                reader.report(.badValue, "capture.directory must not be empty", at: node)
            } else {
                settings.directory = directory
            }
        }
        if let node = entries["file_size"], let text = reader.string(node, "capture.file_size") {
            if let size = parseByteSize(text), (64 * 1024...4 * 1024 * 1024 * 1024).contains(size) {
                settings.fileSize = size
            } else {
                reader.report(
                    .badValue, "capture.file_size '\(text)' must be like 512KB, 16MB or 1GB (64KB to 4GB)", at: node)
            }
        }
        if let node = entries["files"], let files = reader.integer(node, "capture.files", in: 1...10_000) {
            settings.files = files
        }
        if let node = entries["hep"] {
            settings.hep = readHEP(node, reader: &reader)
        }
        if settings.directory == nil, entries["hep"] == nil {
            reader.report(.missingKey, "capture needs a directory, a hep collector, or both", at: yaml)
        }
        return settings
    }

    private static func readHEP(_ yaml: Node, reader: inout YAMLReader) -> HEPSettings? {
        guard
            let entries = reader.mapping(
                yaml, "capture.hep", allowed: ["address", "agent_id", "password"], required: ["address"]),
            let addressNode = entries["address"], let text = reader.string(addressNode, "capture.hep.address")
        else { return nil }
        guard case .success(let address) = parseHostPort(text), isIPLiteral(address.host) else {
            reader.report(.badAddress, "capture.hep.address '\(text)' must be IP:PORT or [IPv6]:PORT", at: addressNode)
            return nil
        }
        var settings = HEPSettings(host: address.host, port: address.port)
        if let node = entries["agent_id"],
            let id = reader.integer(node, "capture.hep.agent_id", in: 0...Int(UInt32.max))
        {
            settings.agentID = UInt32(id)
        }
        if let node = entries["password"], let password = reader.string(node, "capture.hep.password") {
            settings.password = password
        }
        return settings
    }

    /// `512KB`, `16MB`, `1GB` (binary multiples) or a plain number of bytes.
    static func parseByteSize(_ text: String) -> Int? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard let number = Int(digits) else { return nil }
        switch text.dropFirst(digits.count).uppercased() {
        case "": return number
        case "KB", "K": return number * 1024
        case "MB", "M": return number * 1024 * 1024
        case "GB", "G": return number * 1024 * 1024 * 1024
        default: return nil
        }
    }

    private static func isIPLiteral(_ host: String) -> Bool {
        IPAddress(parsing: host) != nil
    }
}
