/// Writes a `SessionDescription` as text: RFC 8866 §5 order, CRLF line endings, and each `UnknownLine` right
/// after the line it is anchored to.
struct SDPSerializer {
    private(set) var bytes: [UInt8] = []
    /// The unknown lines in the order they were written, one list per section (session first, then each media).
    private(set) var writtenUnknownLines: [[UnknownLine]] = []

    /// Unknown lines of the section being written, grouped by anchor, in their stored order.
    private var pending: [UnknownLine.Anchor: [UnknownLine]] = [:]
    private var anchorOrder: [UnknownLine.Anchor] = []

    mutating func write(_ session: SessionDescription) {
        bytes.reserveCapacity(1024)
        begin(session.unknownLines)
        line("v", String(session.version), 1)
        finishGroup("v", count: 1)
        line("o", session.origin.lineValue, 1)
        finishGroup("o", count: 1)
        line("s", session.sessionName, 1)
        finishGroup("s", count: 1)
        optional("i", session.information)
        optional("u", session.uri)
        list("e", session.emails)
        list("p", session.phones)
        optional("c", session.connection?.lineValue)
        list("b", session.bandwidths.map(\.lineValue))
        var repeatCount = 0
        for (index, timing) in session.timings.enumerated() {
            line("t", timing.lineValue, index + 1)
            for repeatLine in timing.repeats {
                repeatCount += 1
                line("r", repeatLine, repeatCount)
            }
        }
        finishGroup("t", count: session.timings.count)
        finishGroup("r", count: repeatCount)
        optional("z", session.timeZones)
        optional("k", session.encryptionKey)
        attributes(session.attributes)
        finishSection()
        for media in session.media { write(media) }
    }

    private mutating func write(_ media: MediaDescription) {
        begin(media.unknownLines)
        var port = String(media.port)
        if let portCount = media.portCount { port += "/\(portCount)" }
        let fields = [media.type.rawValue, port, media.proto.rawValue] + media.formats
        line("m", fields.joined(separator: " "), 1)
        finishGroup("m", count: 1)
        optional("i", media.information)
        list("c", media.connections.map(\.lineValue))
        list("b", media.bandwidths.map(\.lineValue))
        optional("k", media.encryptionKey)
        attributes(media.attributes)
        finishSection()
    }

    // MARK: Lines

    private mutating func raw(_ type: Character, _ value: String) {
        bytes.append(contentsOf: type.utf8)
        bytes.append(Lex.equals)
        bytes.append(contentsOf: value.utf8)
        bytes.append(contentsOf: [0x0D, 0x0A])
    }

    /// Writes a known line and the unknown lines anchored right after it.
    private mutating func line(_ type: Character, _ value: String, _ occurrence: Int) {
        raw(type, value)
        flush(UnknownLine.Anchor(type: type, occurrence: occurrence))
    }

    private mutating func optional(_ type: Character, _ value: String?) {
        if let value { line(type, value, 1) }
        finishGroup(type, count: value == nil ? 0 : 1)
    }

    private mutating func list(_ type: Character, _ values: [String]) {
        for (index, value) in values.enumerated() { line(type, value, index + 1) }
        finishGroup(type, count: values.count)
    }

    private mutating func attributes(_ attributes: SDPAttributes) {
        list("a", attributes.map(\.description))
    }

    // MARK: Unknown lines

    private mutating func begin(_ unknownLines: [UnknownLine]) {
        writtenUnknownLines.append([])
        pending = [:]
        anchorOrder = []
        for unknown in unknownLines {
            if pending[unknown.anchor] == nil { anchorOrder.append(unknown.anchor) }
            pending[unknown.anchor, default: []].append(unknown)
        }
    }

    private mutating func flush(_ anchor: UnknownLine.Anchor) {
        guard let lines = pending.removeValue(forKey: anchor) else { return }
        for unknown in lines { raw(unknown.type, unknown.value) }
        writtenUnknownLines[writtenUnknownLines.count - 1] += lines
    }

    /// After the last line of a type: unknown lines anchored to an occurrence that no longer exists.
    private mutating func finishGroup(_ type: Character, count: Int) {
        guard !pending.isEmpty else { return }
        for anchor in anchorOrder where anchor.type == type && (anchor.occurrence > count || anchor.occurrence < 1) {
            flush(anchor)
        }
    }

    /// At the end of a section: unknown lines anchored to a type the section does not have.
    private mutating func finishSection() {
        for anchor in anchorOrder { flush(anchor) }
    }
}

extension SessionDescription {
    /// The description as bytes, CRLF line endings.
    public func serializedBytes() -> [UInt8] {
        var serializer = SDPSerializer()
        serializer.write(self)
        return serializer.bytes
    }

    /// The description as text, CRLF line endings.
    public func serialized() -> String {
        String(decoding: serializedBytes(), as: UTF8.self)
    }
}
