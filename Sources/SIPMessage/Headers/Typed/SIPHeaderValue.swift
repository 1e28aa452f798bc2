/// One value of a header field, parsed from its bytes and written back in canonical form.
///
/// A list header holds several values in one field (`Via: a, b`); `SIPHeaders.all(_:as:)` splits them at
/// top-level commas first, so a conforming type parses exactly one. Parsing happens when a value is asked for,
/// never when the message is parsed, and a view is a copy: changing it changes nothing until it is `set` back.
///
/// Conforming types keep `parse → serialize → parse` an identity: the second parse gives a value equal to the
/// first.
public protocol SIPHeaderValue: Sendable {
    /// Parses one value (without the header name, white space around it trimmed or not).
    init(parsing value: ArraySlice<UInt8>) throws(SIPParseError)

    /// Appends the value in canonical form.
    func serialize(into buffer: inout [UInt8])
}

extension SIPHeaderValue {
    /// Parses one value from text.
    public init(parsing text: String) throws(SIPParseError) {
        try self.init(parsing: Array(text.utf8)[...])
    }

    /// The value in canonical form, as bytes.
    public var serialized: [UInt8] {
        HeaderWriting.bytes { serialize(into: &$0) }
    }

    /// The value in canonical form, as text.
    public var serializedString: String { String(sipBytes: serialized) }
}

extension SIPHeaders {
    /// Every value of this header, parsed as `V`: fields in order, list fields split at top-level commas.
    ///
    /// - Throws: the first value's parse error (`.badVia`, `.badNameAddress`, …), or the splitter's
    ///   `.unbalancedQuotes` / `.unbalancedAngleBrackets`.
    public func all<V: SIPHeaderValue>(_ name: HeaderName, as type: V.Type = V.self) throws(SIPParseError) -> [V] {
        var result: [V] = []
        for value in try values(name) { result.append(try V(parsing: value)) }
        return result
    }

    /// The first value of this header parsed as `V`, or nil when there is none. Only the first field is read.
    public func first<V: SIPHeaderValue>(_ name: HeaderName, as type: V.Type = V.self) throws(SIPParseError) -> V? {
        for index in fields.indices where matches(name, at: index) {
            let fieldValue = value(at: index)
            guard name.isList else { return try V(parsing: fieldValue) }
            let parts = try HeaderValueSplitter.split(fieldValue)
            // An empty list field (`Supported:`) holds no value; look at the next field.
            if let part = parts.first { return try V(parsing: part) }
        }
        return nil
    }

    /// Sets the header to this one value: the first field with the name is rewritten in place, others removed.
    public mutating func set<V: SIPHeaderValue>(_ name: HeaderName, _ value: V) {
        let stored = store { value.serialize(into: &$0) }
        set(name, stored: stored)
    }

    /// Inserts a field with this value before the first field of the same name (where a proxy puts its Via).
    public mutating func prepend<V: SIPHeaderValue>(_ name: HeaderName, _ value: V) {
        let stored = store { value.serialize(into: &$0) }
        prepend(name, stored: stored)
    }

    /// Replaces the value of the field at `index` with this one, keeping its position.
    public mutating func replaceValue<V: SIPHeaderValue>(at index: Int, with value: V) {
        let stored = store { value.serialize(into: &$0) }
        replaceValue(at: index, stored: stored)
    }

    /// Appends a field with this value at the end.
    public mutating func append<V: SIPHeaderValue>(_ name: HeaderName, _ value: V) {
        let stored = store { value.serialize(into: &$0) }
        append(name, stored: stored)
    }
}
