/// The parser's state while it walks the lines: the session fields seen so far, the media section being filled,
/// and the position that the next unknown line will anchor to.
struct SDPBuilder {
    let limits: SDPLimits
    let validators: [String: @Sendable (String) -> Bool]

    private var sawVersion = false
    private var origin: Origin?
    private var sessionName: String?
    private var session = SessionDescription(
        origin: Origin(sessionID: "0", sessionVersion: "0", address: ""), timings: [])
    private var current: MediaDescription?

    /// Occurrences of each known type in the current section, and the last known line, for `UnknownLine.Anchor`.
    private var counts: [UInt8: Int] = [:]
    private var anchor = UnknownLine.Anchor(type: "v", occurrence: 1)

    init(limits: SDPLimits, validators: [String: @Sendable (String) -> Bool]) {
        self.limits = limits
        self.validators = validators
    }

    private enum Letter {
        static let v: UInt8 = 0x76, o: UInt8 = 0x6F, s: UInt8 = 0x73, i: UInt8 = 0x69, u: UInt8 = 0x75
        static let e: UInt8 = 0x65, p: UInt8 = 0x70, c: UInt8 = 0x63, b: UInt8 = 0x62, t: UInt8 = 0x74
        static let r: UInt8 = 0x72, z: UInt8 = 0x7A, k: UInt8 = 0x6B, a: UInt8 = 0x61, m: UInt8 = 0x6D
    }

    mutating func consume(_ line: ArraySlice<UInt8>, lineNumber: Int) throws(SDPParseError) {
        // RFC 8866 §5: `<type>=<value>`, one case-significant letter, no spaces around `=`.
        guard line.count >= 2, Lex.isLetter(line[line.startIndex]), line[line.startIndex + 1] == Lex.equals else {
            throw SDPParseError(.malformedLine, line: lineNumber, "not <type>=<value>")
        }
        let type = line[line.startIndex]
        let value = line.dropFirst(2)

        guard sawVersion else {
            guard type == Letter.v else {
                throw SDPParseError(.missingVersion, line: lineNumber, "the description must start with v=")
            }
            guard value.elementsEqual("0".utf8) else {
                throw SDPParseError(.badVersion, line: lineNumber, "v=\(Lex.excerpt(value)), only v=0 is defined")
            }
            sawVersion = true
            counts[type] = 1
            return
        }

        switch type {
        case Letter.v:
            throw SDPParseError(.unexpectedLine, line: lineNumber, "second v= line")
        case Letter.m:
            try startMedia(value, lineNumber: lineNumber)
        default:
            let known: Bool
            if current != nil {
                known = try consumeMediaLine(type, value, lineNumber: lineNumber)
            } else {
                known = try consumeSessionLine(type, value, lineNumber: lineNumber)
            }
            if known {
                noteKnown(type)
            } else {
                let unknown = UnknownLine(
                    type: Character(Unicode.Scalar(type)), value: Lex.string(value), anchor: anchor)
                if current != nil {
                    current?.unknownLines.append(unknown)
                } else {
                    session.unknownLines.append(unknown)
                }
            }
        }
    }

    private mutating func noteKnown(_ type: UInt8) {
        let occurrence = counts[type, default: 0] + 1
        counts[type] = occurrence
        anchor = UnknownLine.Anchor(type: Character(Unicode.Scalar(type)), occurrence: occurrence)
    }

    // MARK: Session level

    /// Returns false for a type letter the session level does not define.
    private mutating func consumeSessionLine(
        _ type: UInt8, _ value: ArraySlice<UInt8>, lineNumber: Int
    ) throws(SDPParseError) -> Bool {
        switch type {
        case Letter.o:
            guard origin == nil else { throw duplicate("o=", lineNumber) }
            guard let parsed = Origin(fields: Lex.fields(value)) else {
                throw SDPParseError(
                    .badOrigin, line: lineNumber,
                    "expected <username> <sess-id> <sess-version> <nettype> <addrtype> <address>")
            }
            origin = parsed
        case Letter.s:
            guard sessionName == nil else { throw duplicate("s=", lineNumber) }
            sessionName = Lex.string(value)
        case Letter.i:
            guard session.information == nil else { throw duplicate("i=", lineNumber) }
            session.information = Lex.string(value)
        case Letter.u:
            guard session.uri == nil else { throw duplicate("u=", lineNumber) }
            session.uri = Lex.string(value)
        case Letter.e:
            session.emails.append(Lex.string(value))
        case Letter.p:
            session.phones.append(Lex.string(value))
        case Letter.c:
            guard session.connection == nil else { throw duplicate("session-level c=", lineNumber) }
            session.connection = try connection(value, lineNumber)
        case Letter.b:
            session.bandwidths.append(try bandwidth(value, lineNumber))
        case Letter.t:
            let fields = value.split(separator: Lex.space)
            guard fields.count == 2, let start = Lex.decimal(fields[0], as: UInt64.self),
                let stop = Lex.decimal(fields[1], as: UInt64.self)
            else { throw SDPParseError(.badTiming, line: lineNumber, "expected t=<start> <stop>") }
            session.timings.append(Timing(start: start, stop: stop))
        case Letter.r:
            guard !session.timings.isEmpty else {
                throw SDPParseError(.unexpectedLine, line: lineNumber, "r= before any t=")
            }
            session.timings[session.timings.count - 1].repeats.append(Lex.string(value))
        case Letter.z:
            guard session.timeZones == nil else { throw duplicate("z=", lineNumber) }
            session.timeZones = Lex.string(value)
        case Letter.k:
            guard session.encryptionKey == nil else { throw duplicate("session-level k=", lineNumber) }
            session.encryptionKey = Lex.string(value)
        case Letter.a:
            guard session.attributes.count < limits.maxAttributesPerSection else {
                throw tooManyAttributes(lineNumber)
            }
            session.attributes.append(try attribute(value, lineNumber))
        default:
            return false
        }
        return true
    }

    // MARK: Media level

    private mutating func startMedia(_ value: ArraySlice<UInt8>, lineNumber: Int) throws(SDPParseError) {
        if let current { session.media.append(current) }
        guard session.media.count < limits.maxMediaSections else {
            throw SDPParseError(.tooManyMedia, line: lineNumber, "more than \(limits.maxMediaSections) m= sections")
        }
        // RFC 8866 §5.14: m=<media> <port>[/<number of ports>] <proto> <fmt> ...
        let fields = value.split(separator: Lex.space)
        guard fields.count >= 3 else {
            throw SDPParseError(.badMediaLine, line: lineNumber, "expected m=<media> <port> <proto> <fmt> ...")
        }
        guard fields.count - 3 <= limits.maxFormatsPerMedia else {
            throw SDPParseError(
                .tooManyFormats, line: lineNumber, "\(fields.count - 3) formats, limit \(limits.maxFormatsPerMedia)")
        }
        let portField = fields[1]
        let portText = portField.prefix { $0 != Lex.slash }
        guard let port = Lex.decimal(portText, as: UInt16.self) else {
            throw SDPParseError(.badPort, line: lineNumber, "port \(Lex.excerpt(portField)) is not 0-65535")
        }
        var portCount: Int?
        if portText.count < portField.count {
            guard let count = Lex.int(portField[(portText.endIndex + 1)...]) else {
                throw SDPParseError(.badPort, line: lineNumber, "bad port count in \(Lex.excerpt(portField))")
            }
            portCount = count
        }
        current = MediaDescription(
            type: MediaType(rawValue: Lex.string(fields[0])), port: port, portCount: portCount,
            proto: TransportProtocol(rawValue: Lex.string(fields[2])),
            formats: fields.dropFirst(3).map { Lex.string($0) })
        counts = [Letter.m: 1]
        anchor = UnknownLine.Anchor(type: "m", occurrence: 1)
    }

    /// Returns false for a type letter a media section does not define.
    private mutating func consumeMediaLine(
        _ type: UInt8, _ value: ArraySlice<UInt8>, lineNumber: Int
    ) throws(SDPParseError) -> Bool {
        guard current != nil else { return false }
        switch type {
        case Letter.i:
            guard current?.information == nil else { throw duplicate("media-level i=", lineNumber) }
            current?.information = Lex.string(value)
        case Letter.c:
            let parsed = try connection(value, lineNumber)
            current?.connections.append(parsed)
        case Letter.b:
            let parsed = try bandwidth(value, lineNumber)
            current?.bandwidths.append(parsed)
        case Letter.k:
            guard current?.encryptionKey == nil else { throw duplicate("media-level k=", lineNumber) }
            current?.encryptionKey = Lex.string(value)
        case Letter.a:
            guard (current?.attributes.count ?? 0) < limits.maxAttributesPerSection else {
                throw tooManyAttributes(lineNumber)
            }
            let parsed = try attribute(value, lineNumber)
            current?.attributes.append(parsed)
        default:
            return false
        }
        return true
    }

    // MARK: Shared fields

    private func connection(_ value: ArraySlice<UInt8>, _ lineNumber: Int) throws(SDPParseError) -> Connection {
        guard let parsed = Connection(fields: Lex.fields(value)) else {
            throw SDPParseError(
                .badConnection, line: lineNumber, "expected c=<nettype> <addrtype> <address>[/ttl][/count]")
        }
        return parsed
    }

    private func bandwidth(_ value: ArraySlice<UInt8>, _ lineNumber: Int) throws(SDPParseError) -> Bandwidth {
        guard let parsed = Bandwidth(lineValue: Lex.string(value)) else {
            throw SDPParseError(.badBandwidth, line: lineNumber, "expected b=<bwtype>:<bandwidth>")
        }
        return parsed
    }

    private func attribute(_ value: ArraySlice<UInt8>, _ lineNumber: Int) throws(SDPParseError) -> SDPAttribute {
        let attribute: SDPAttribute
        if let colon = value.firstIndex(of: Lex.colon) {
            attribute = SDPAttribute(
                Lex.string(value[..<colon]), value: Lex.string(value[(colon + 1)...]))
        } else {
            attribute = SDPAttribute(Lex.string(value))
        }
        guard !attribute.name.isEmpty else {
            throw SDPParseError(.badAttribute, line: lineNumber, "attribute without a name")
        }
        if let validate = validators[attribute.name] {
            guard let text = attribute.value, validate(text) else {
                throw SDPParseError(.badAttribute, line: lineNumber, "malformed a=\(attribute.name)")
            }
        }
        return attribute
    }

    private func duplicate(_ what: String, _ lineNumber: Int) -> SDPParseError {
        SDPParseError(.duplicateLine, line: lineNumber, "more than one \(what) line")
    }

    private func tooManyAttributes(_ lineNumber: Int) -> SDPParseError {
        SDPParseError(
            .tooManyAttributes, line: lineNumber, "more than \(limits.maxAttributesPerSection) a= lines in a section")
    }

    // MARK: End

    mutating func finish() throws(SDPParseError) -> SessionDescription {
        guard sawVersion else { throw SDPParseError(.missingVersion, line: 1, "empty description") }
        guard let origin else { throw SDPParseError(.missingOrigin, line: 0, "no o= line") }
        guard let sessionName else { throw SDPParseError(.missingSessionName, line: 0, "no s= line") }
        if let current {
            session.media.append(current)
            self.current = nil
        }
        session.origin = origin
        session.sessionName = sessionName
        sortUnknownLines()
        return session
    }

    /// Puts unknown lines in the order the serializer writes them, which differs from the input order when known
    /// lines were out of RFC order. Then parsing what we wrote gives an equal model.
    private mutating func sortUnknownLines() {
        guard session.unknownLines.count > 1 || session.media.contains(where: { $0.unknownLines.count > 1 }) else {
            return
        }
        var serializer = SDPSerializer()
        serializer.write(session)
        let written = serializer.writtenUnknownLines
        session.unknownLines = written[0]
        for index in session.media.indices { session.media[index].unknownLines = written[index + 1] }
    }
}
