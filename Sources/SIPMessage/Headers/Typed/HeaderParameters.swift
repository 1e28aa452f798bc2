/// The ordered `;name[=value]` parameters of a header value (RFC 3261 §7.3.1): Via's `branch`, a To's `tag`, a
/// Contact's `expires`, a Content-Type's `charset`, …
///
/// Order and spelling are kept, so a parsed list is written back as it came; lookups ignore the ASCII case of
/// names and return the first parameter of that name.
public struct HeaderParameters: Hashable, Sendable, RandomAccessCollection, ExpressibleByArrayLiteral {
    private var elements: [HeaderParameter]

    public init() { elements = [] }

    public init(_ parameters: [HeaderParameter]) { elements = parameters }

    public init(arrayLiteral parameters: HeaderParameter...) { elements = parameters }

    /// Parses `;name[=value]…` (the leading `;` may be omitted), e.g. the text after a URI.
    ///
    /// - Throws: `.badHeaderValue` for an empty name, an empty value after `=`, or a byte a value may not hold.
    public init(parsing bytes: ArraySlice<UInt8>) throws(SIPParseError) {
        self.init()
        var scanner = HeaderScanner(bytes, code: .badHeaderValue, header: "parameters")
        scanner.skipWhitespace()
        if !scanner.isAtEnd, scanner.peek != ASCII.semicolon { try scanner.parameter(into: &self, lenient: false) }
        try scanner.parameters(into: &self)
    }

    public var startIndex: Int { elements.startIndex }
    public var endIndex: Int { elements.endIndex }
    public subscript(position: Int) -> HeaderParameter { elements[position] }

    /// The first parameter with this name (any case).
    public subscript(name: String) -> HeaderParameter? {
        elements.first { $0.hasName(name) }
    }

    public func contains(_ name: String) -> Bool {
        elements.contains { $0.hasName(name) }
    }

    /// The value of the first parameter with this name; nil when it is absent or has no value.
    public func value(_ name: String) -> String? {
        self[name]?.value
    }

    /// Sets a parameter: the first one of this name keeps its place and spelling and takes the new value (any
    /// later ones are removed); without one, it is appended. `quoted: nil` quotes only a value that needs it.
    public mutating func set(_ name: String, _ value: String? = nil, quoted: Bool? = nil) {
        let parameter = HeaderParameter(name: name, value: value, quoted: quoted)
        guard let index = elements.firstIndex(where: { $0.hasName(name) }) else {
            elements.append(parameter)
            return
        }
        elements[index].value = parameter.value
        elements[index].isQuoted = parameter.isQuoted
        var later = elements.count - 1
        while later > index {
            if elements[later].hasName(name) { elements.remove(at: later) }
            later -= 1
        }
    }

    /// Sets a valued parameter, or removes it when `value` is nil: what a typed accessor's setter does
    /// (`via.received = nil` removes `received`). A flag parameter such as `;lr` is set with `set(_:)`.
    public mutating func setOrRemove(_ name: String, _ value: String?, quoted: Bool? = nil) {
        if let value { set(name, value, quoted: quoted) } else { remove(name) }
    }

    /// Appends a parameter, even if one of the same name exists.
    public mutating func append(_ parameter: HeaderParameter) {
        elements.append(parameter)
    }

    /// Removes every parameter with this name; returns how many were removed.
    @discardableResult
    public mutating func remove(_ name: String) -> Int {
        let before = elements.count
        elements.removeAll { $0.hasName(name) }
        return before - elements.count
    }

    /// Appends `;name[=value]` for each parameter.
    public func serialize(into buffer: inout [UInt8]) {
        for parameter in elements {
            buffer.append(ASCII.semicolon)
            parameter.serialize(into: &buffer)
        }
    }
}

extension HeaderScanner {
    /// `*( SEMI generic-param )` up to the end of the value. `lenient` also accepts `=` and `/` in unquoted
    /// values, which 3GPP nodes put in base64 identifiers (`icid-value=AyretyU0dm+6O2IrT5tAFrbHLso=023551024`).
    mutating func parameters(into parameters: inout HeaderParameters, lenient: Bool = false) throws(SIPParseError) {
        while true {
            skipWhitespace()
            if isAtEnd { return }
            try expect(ASCII.semicolon, "';'")
            try parameter(into: &parameters, lenient: lenient)
        }
    }

    /// One `token [ EQUAL gen-value ]`, after its separator.
    mutating func parameter(into parameters: inout HeaderParameters, lenient: Bool) throws(SIPParseError) {
        skipWhitespace()
        let name = try tokenString("a parameter name")
        skipWhitespace()
        guard consume(ASCII.equals) else {
            parameters.append(HeaderParameter(name: name, value: nil, quoted: false))
            return
        }
        skipWhitespace()
        let (value, quoted) = try parameterValue(of: name, lenient: lenient)
        parameters.append(HeaderParameter(name: name, value: value, quoted: quoted))
    }

    /// `gen-value = token / host / quoted-string`, where host may be an IPv6 reference (`[2001:db8::1]`) or, as
    /// RFC 3261's `received` grammar has it, a bare IPv6 address.
    mutating func parameterValue(of name: String, lenient: Bool) throws(SIPParseError) -> (String, Bool) {
        if peek == ASCII.quote { return (try quotedString(), true) }
        let value = scan { byte in
            HeaderParameter.isUnquotedValueByte(byte) || (lenient && (byte == ASCII.equals || byte == ASCII.slash))
        }
        guard !value.isEmpty else {
            throw error("parameter '\(name)' has no value after '='")
        }
        return (String(sipBytes: value), false)
    }
}
