import TestSupport

@testable import SIPMessage

/// Random valid SIP messages with the model they must parse to, for the round-trip properties.
///
/// Every message passes `validate()`: it has one Via (or more), From, To, Call-ID and CSeq (with the request's
/// method), and every header a typed view reads is well formed. Around that, it varies what a parser must cope
/// with: names in long and compact form in any case, extension headers, list headers with several values (quoted
/// display names with commas and escaped quotes, quoted parameters holding `<`, `,` and `;`), folded lines, IPv6
/// addresses, white space before and after the colon, bodies with any bytes, bare LF line endings, leading CRLFs
/// and a missing Content-Length.
struct MessageGenerator {
    var random: SeededGenerator

    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    /// One header field as written and as it must read back.
    struct Field {
        var name: HeaderName
        /// Name, colon and value as written, with folds, without the line ending.
        var raw: String
        /// The value with folds unfolded and surrounding white space removed: `headers.value(at:)`.
        var value: String
        /// The values of a list header (`HeaderValueSplitter`), in order.
        var listValues: [String]
    }

    struct Message {
        var startLine: StartLine
        var startLineText: String
        var fields: [Field]
        var body: [UInt8]
        var lineEnding: String
        var leadingLineBreaks: String
        /// Whether the bytes are what the serializer writes: CRLF, a true Content-Length, no leading CRLF.
        var isCanonical: Bool
        var bytes: [UInt8]
    }

    // MARK: Messages

    mutating func message() -> Message {
        let lineEnding = chance(0.15) ? "\n" : "\r\n"
        let leading = chance(0.1) ? String(repeating: lineEnding, count: int(1...2)) : ""
        let isRequest = chance(0.6)
        let method = isRequest ? self.method() : pick(["INVITE", "BYE", "OPTIONS", "REGISTER", "X-Ext.Method"])
        let startLineText: String
        let startLine: StartLine
        if isRequest {
            let uri = requestURI()
            startLineText = "\(method) \(uri) SIP/2.0"
            startLine = .request(RequestLine(method: SIPMethod(method), uri: uri))
        } else {
            let code = int(100...699)
            let reason = chance(0.1) ? "" : text(words: 1...4)
            startLineText = "SIP/2.0 \(code) \(reason)"
            startLine = .response(StatusLine(code: code, reason: reason))
        }

        var fields: [Field] = []
        let viaFields = int(1...3)
        for _ in 0..<viaFields {
            fields.append(listField(.via, values: (0..<int(1...3)).map { _ in via() }, lineEnding))
        }
        fields.append(field(.from, nameAddress(tag: true), lineEnding))
        fields.append(field(.to, nameAddress(tag: !isRequest || chance(0.3)), lineEnding))
        fields.append(field(.callID, "\(token(letters: 4...16))@\(hostname())", lineEnding))
        fields.append(field(.cseq, "\(int(0...Int(CSeq.maximumSequence)))\(spaces(1...2))\(method)", lineEnding))
        if chance(0.7) { fields.append(field(.maxForwards, String(int(0...255)), lineEnding)) }
        for _ in 0..<int(0...2) {
            fields.append(listField(.contact, values: (0..<int(1...3)).map { _ in contact() }, lineEnding))
        }
        if chance(0.3) { fields.append(field(.expires, String(int(0...Int(UInt32.max))), lineEnding)) }
        for _ in 0..<int(0...4) { fields.append(optionalField(lineEnding)) }
        fields.shuffle(using: &random)

        let body = self.body()
        var isCanonical = lineEnding == "\r\n" && leading.isEmpty
        if !body.isEmpty { fields.append(field(.contentType, pick(Self.contentTypes), lineEnding)) }
        if chance(0.9) {
            let digits = (chance(0.1) ? "00" : "") + String(body.count)
            fields.insert(field(.contentLength, digits, lineEnding), at: int(0...fields.count))
        } else {
            isCanonical = false
        }

        var text = leading + startLineText + lineEnding
        for field in fields { text += field.raw + lineEnding }
        text += lineEnding
        return Message(
            startLine: startLine, startLineText: startLineText, fields: fields, body: body, lineEnding: lineEnding,
            leadingLineBreaks: leading, isCanonical: isCanonical, bytes: Array(text.utf8) + body)
    }

    // MARK: Fields

    /// A field whose value is `value`, with a name in one of its spellings, white space around the colon and
    /// perhaps folds in place of single spaces.
    mutating func field(_ name: HeaderName, _ value: String, _ lineEnding: String) -> Field {
        Field(
            name: name, raw: spelling(of: name) + separator() + fold(value, lineEnding) + trailingSpace(),
            value: value, listValues: value.isEmpty ? [] : [value])
    }

    /// A list field: the values joined by commas with white space (or folds) around them.
    mutating func listField(_ name: HeaderName, values: [String], _ lineEnding: String) -> Field {
        var raw = ""
        for (index, value) in values.enumerated() {
            if index > 0 {
                raw += spaces(0...1) + "," + (chance(0.15) ? lineEnding + spaces(1...2) : spaces(0...2))
            }
            raw += fold(value, lineEnding)
        }
        let unfolded = HeaderValueSplitterModel.unfold(raw)
        return Field(
            name: name, raw: spelling(of: name) + separator() + raw + trailingSpace(), value: unfolded,
            listValues: values)
    }

    /// Headers that no core view reads: extension headers, Subject, Route, Supported, …
    mutating func optionalField(_ lineEnding: String) -> Field {
        switch int(0...6) {
        case 0:
            let name = HeaderName("X-" + token(letters: 1...10))
            return field(name, chance(0.1) ? "" : text(words: 1...6), lineEnding)
        case 1: return field(.subject, chance(0.2) ? "" : text(words: 1...8), lineEnding)
        case 2:
            return listField(.route, values: (0..<int(1...3)).map { _ in "<\(sipURI())>" }, lineEnding)
        case 3:
            return listField(.recordRoute, values: (0..<int(1...3)).map { _ in "<\(sipURI());lr>" }, lineEnding)
        case 4:
            return listField(
                .supported, values: (0..<int(1...4)).map { _ in pick(["100rel", "timer", "path", "gruu", "x.y"]) },
                lineEnding)
        case 5: return field(.userAgent, text(words: 1...3), lineEnding)
        default:
            return listField(
                .pAssertedIdentity, values: (0..<int(1...2)).map { _ in nameAddress(tag: false) }, lineEnding)
        }
    }

    /// The name as written: long or compact form, in a random case, sometimes with white space before the colon.
    mutating func spelling(of name: HeaderName) -> String {
        var spelled = name.canonical
        if let compact = name.compactForm, chance(0.4) { spelled = compact }
        switch int(0...3) {
        case 0: spelled = spelled.lowercased()
        case 1: spelled = spelled.uppercased()
        case 2: spelled = String(spelled.map { chance(0.5) ? Character($0.lowercased()) : Character($0.uppercased()) })
        default: break
        }
        return spelled
    }

    mutating func separator() -> String {
        (chance(0.1) ? pick([" ", "\t", "  "]) : "") + ":" + (chance(0.8) ? " " : pick(["", "\t", "   "]))
    }

    mutating func trailingSpace() -> String { chance(0.1) ? pick([" ", "\t", "  "]) : "" }

    /// Replaces some single spaces (between two non-blank characters) by a fold: line ending and SP or HTAB.
    mutating func fold(_ value: String, _ lineEnding: String) -> String {
        guard chance(0.2) else { return value }
        let characters = Array(value)
        var result = ""
        for (index, character) in characters.enumerated() {
            let isSingleSpace =
                character == " " && index > 0 && index + 1 < characters.count && characters[index - 1] != " "
                && characters[index + 1] != " " && characters[index - 1] != "\t" && characters[index + 1] != "\t"
            if isSingleSpace && chance(0.5) {
                result += (chance(0.3) ? " " : "") + lineEnding + pick([" ", "\t", "  ", " \t"])
            } else {
                result.append(character)
            }
        }
        return result
    }

    // MARK: Values

    static let contentTypes = [
        "application/sdp", "multipart/mixed;boundary=\"b1; b2\"", "text/plain; charset=utf-8",
        "application/x-private",
    ]

    mutating func method() -> String {
        if chance(0.7) { return pick(Self.knownMethods) }
        return token(letters: 1...12).uppercased()
    }

    mutating func requestURI() -> String {
        switch int(0...5) {
        case 0: return telURI()
        default: return sipURI()
        }
    }

    /// A SIP or SIPS URI; without parameters it can stand as a bare addr-spec (no `,`, `;` or `?` in it).
    mutating func sipURI(parameters: Bool = true) -> String {
        var uri = chance(0.2) ? "sips:" : pick(["sip:", "SIP:", "sip:"])
        if chance(0.7) {
            uri += user()
            if chance(0.05) { uri += ":" + String((0..<int(0...6)).map { _ in pick(Self.passwordCharacters) }) }
            uri += "@"
        }
        uri += host()
        if chance(0.3) { uri += ":\(int(1...65535))" }
        guard parameters else { return uri }
        for _ in 0..<int(0...3) {
            uri += pick([";transport=tcp", ";lr", ";user=phone", ";x-p=v%20w", ";maddr=239.255.255.1", ";ttl=1"])
        }
        return uri
    }

    mutating func telURI() -> String {
        "tel:+\(int(1...99))-\(int(100...999))-\(int(1000...9999))" + (chance(0.3) ? ";ext=\(int(1...999))" : "")
    }

    mutating func user() -> String {
        var user = String((0..<int(1...10)).map { _ in pick(Self.userCharacters) })
        if chance(0.2) { user += pick(["%20", "%41", "%25"]) }
        return user
    }

    mutating func host() -> String {
        switch int(0...3) {
        case 0: return "\(int(1...223)).\(int(0...255)).\(int(0...255)).\(int(1...254))"
        case 1: return "[\(ipv6())]"
        default: return hostname()
        }
    }

    mutating func hostname() -> String {
        var labels: [String] = []
        for _ in 0..<int(1...3) {
            var label = String(pick(Self.letters))
            if chance(0.7) {
                label += String((0..<int(0...6)).map { _ in pick(Self.labelCharacters) }) + String(pick(Self.letters))
            }
            labels.append(label)
        }
        return labels.joined(separator: ".") + "." + pick(["com", "example", "net", "org"])
    }

    mutating func ipv6() -> String {
        switch int(0...3) {
        case 0: return "2001:db8::\(String(int(1...0xffff), radix: 16))"
        case 1: return "::ffff:192.0.2.\(int(1...254))"
        case 2: return (0..<8).map { _ in String(int(0...0xffff), radix: 16) }.joined(separator: ":")
        default: return "fe80::\(String(int(1...0xffff), radix: 16)):\(String(int(1...0xffff), radix: 16))"
        }
    }

    mutating func via() -> String {
        let slash = chance(0.1) ? " / " : "/"
        var via = "SIP\(slash)2.0\(slash)\(pick(["UDP", "TCP", "TLS", "SCTP", "WS", "WSS", "tls-sctp"]))"
        via += spaces(1...2) + host()
        if chance(0.5) { via += ":\(int(1...65535))" }
        via += ";branch=z9hG4bK" + token(letters: 1...16)
        if chance(0.3) { via += ";received=" + pick(["192.0.2.\(int(1...254))", "[\(ipv6())]", ipv6()]) }
        if chance(0.3) { via += chance(0.5) ? ";rport" : ";rport=\(int(1...65535))" }
        if chance(0.1) { via += ";ttl=\(int(0...255))" }
        if chance(0.1) { via += ";maddr=" + host() }
        if chance(0.2) { via += ";x-note=\"a <b>, c; d\"" }
        return via
    }

    /// A name-addr (display name: none, tokens, or a quoted string with commas, escaped quotes and backslashes) or
    /// a plain addr-spec; with a tag and other parameters.
    mutating func nameAddress(tag: Bool) -> String {
        var value: String
        switch int(0...4) {
        // A bare addr-spec: the parameters after it belong to the header, so the URI has none.
        case 0: value = sipURI(parameters: false)
        case 1: value = "<\(requestURI())>"
        case 2: value = "\(token(letters: 1...6)) \(token(letters: 1...6)) <\(sipURI())>"
        default: value = "\(quotedDisplayName()) <\(sipURI())>"
        }
        if tag { value += ";tag=" + token(letters: 1...12) }
        if chance(0.2) { value += ";x-p=\"quoted, <with> ;things\"" }
        return value
    }

    mutating func quotedDisplayName() -> String {
        let parts = [token(letters: 1...6), "Doe, J", "say \\\"hi\\\"", "back\\\\slash", "Ünïcödé", "a,b,c", "<x>"]
        return "\"" + (0..<int(1...3)).map { _ in pick(parts) }.joined(separator: " ") + "\""
    }

    mutating func contact() -> String {
        var value = chance(0.5) ? "<\(sipURI())>" : "\(quotedDisplayName()) <\(sipURI())>"
        if chance(0.4) { value += ";q=" + pick(["0", "0.5", "1", "0.001", "1.000"]) }
        if chance(0.4) { value += ";expires=\(int(0...Int(UInt32.max)))" }
        if chance(0.2) { value += ";+sip.instance=\"<urn:uuid:\(token(letters: 8...8))>\"" }
        return value
    }

    /// Words of printable ASCII and UTF-8 (quotes and backslashes included), separated by single spaces or tabs.
    mutating func text(words: ClosedRange<Int>) -> String {
        var result = ""
        for index in 0..<int(words) {
            if index > 0 { result += chance(0.9) ? " " : "\t" }
            result += String((0..<int(1...8)).map { _ in pick(Self.textCharacters) })
        }
        return result
    }

    mutating func body() -> [UInt8] {
        switch int(0...3) {
        case 0: return []
        case 1: return Array("v=0\r\no=- \(int(1...99999)) 1 IN IP4 192.0.2.1\r\ns=-\r\n".utf8)
        default: return (0..<int(1...200)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        }
    }

    // MARK: Character sets

    static let letters = Array("abcdefghijklmnopqrstuvwxyz")
    static let alphanumerics = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789")
    static let tokenMarks = Array("-.!%*_+`'~")
    static let labelCharacters = Array("abcdefghijklmnopqrstuvwxyz0123456789-")
    static let userCharacters = Array("abcdefghijklmnopqrstuvwxyzABC0123456789-_.!~*'()&=+$")
    static let passwordCharacters = Array("abcXYZ019&=+$")
    static let textCharacters = Array("abcdefghijklmnopqrstuvwxyz0123456789!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\"éß日本")
    static let knownMethods = SIPMethod.known.map(\.rawValue)

    // MARK: Randomness

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }

    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &random) < probability }

    mutating func pick<T>(_ choices: [T]) -> T { choices[int(0...(choices.count - 1))] }

    mutating func spaces(_ count: ClosedRange<Int>) -> String { String(repeating: " ", count: int(count)) }

    /// A token (RFC 3261 §25.1) of letters and digits, with the other token characters now and then.
    mutating func token(letters: ClosedRange<Int>) -> String {
        String((0..<int(letters)).map { _ in chance(0.1) ? pick(Self.tokenMarks) : pick(Self.alphanumerics) })
    }
}

/// The unfolding and splitting a parser must do, written independently of the parser for the generator's model.
enum HeaderValueSplitterModel {
    /// Line breaks with the white space around them become one space; white space at the ends goes.
    static func unfold(_ raw: String) -> String {
        var result = ""
        var pendingFold = false
        var index = raw.startIndex
        while index < raw.endIndex {
            let character = raw[index]
            if character == "\r\n" || character == "\n" {
                while let last = result.last, last == " " || last == "\t" { result.removeLast() }
                pendingFold = true
            } else if pendingFold && (character == " " || character == "\t") {
                // white space after a line break is part of the fold
            } else {
                if pendingFold { result += " " }
                pendingFold = false
                result.append(character)
            }
            index = raw.index(after: index)
        }
        return result.trimmingCharacters(in: [" ", "\t"])
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        var characters = Substring(self)
        while let first = characters.first, set.contains(first) { characters.removeFirst() }
        while let last = characters.last, set.contains(last) { characters.removeLast() }
        return String(characters)
    }
}
