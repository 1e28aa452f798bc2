/// The header fields of a message, in wire order, over the bytes the message was parsed from.
///
/// Parsing only records where each field's name and value are (ranges into `source`) and which registered header
/// it is; values are read as byte slices on access, and typed views (`Via`, `NameAddress`, …) parse them only when
/// asked. Fields nobody touched are written back byte for byte by the serializer; a field that was set or added
/// holds its new value and is written in canonical form.
public struct SIPHeaders: Sendable {
    /// One header field line (with its continuation lines, if it was folded).
    struct Field: Sendable {
        enum Storage: Sendable {
            /// Untouched: the whole line (name to the last byte before its line ending) and the value, in `source`.
            case original(line: Range<Int>, name: Range<Int>, value: Range<Int>, isFolded: Bool)
            /// Set or added in code: written as `canonical-name: value`, the value in `appended` (see `store`).
            case rewritten(name: HeaderName, value: Range<Int>)
        }

        var registryIndex: UInt8?
        var storage: Storage
    }

    /// The bytes of the parsed message (empty for a message built in code); never changed, so that the body and
    /// every copy of the message share them.
    var source: [UInt8]
    /// The value of every field set or added in code, one after the other: one buffer for them all rather than
    /// an allocation each. A value replaced stays behind until `compactAppended()` drops it.
    var appended: [UInt8]
    /// The size of `appended` at which the next store compacts it first.
    var appendedLimit = SIPHeaders.compactionFloor
    var fields: [Field]

    public init() {
        source = []
        appended = []
        fields = []
    }

    init(source: [UInt8], fields: [Field]) {
        self.source = source
        self.appended = []
        self.fields = fields
    }

    /// The number of header fields (lines), not values.
    public var count: Int { fields.count }

    public var isEmpty: Bool { fields.isEmpty }

    /// The name of the field at `index` as Gatehouse knows it (registered names in their canonical spelling).
    public func name(at index: Int) -> HeaderName {
        let field = fields[index]
        if let registryIndex = field.registryIndex { return HeaderName(registryIndex: registryIndex) }
        switch field.storage {
        case .original(_, let name, _, _): return HeaderName(String(sipBytes: source[name]))
        case .rewritten(let name, _): return name
        }
    }

    /// The name of the field at `index` exactly as it was written on the wire (e.g. `v` or `VIA`).
    public func wireName(at index: Int) -> ArraySlice<UInt8> {
        switch fields[index].storage {
        case .original(_, let name, _, _): return source[name]
        case .rewritten(let name, _): return ArraySlice(name.canonical.utf8)
        }
    }

    /// The value of the field at `index`, with folding (CRLF + white space) replaced by a single space.
    public func value(at index: Int) -> ArraySlice<UInt8> {
        switch fields[index].storage {
        case .original(_, _, let value, let isFolded):
            return isFolded ? Self.unfold(source[value]) : source[value]
        case .rewritten(_, let value):
            return appended[value]
        }
    }

    /// Whether the field at `index` is a `name` field, without building its name (an extension header's name
    /// would be a new `String`).
    public func field(at index: Int, is name: HeaderName) -> Bool {
        matches(name, at: index)
    }

    func matches(_ name: HeaderName, at index: Int) -> Bool {
        let field = fields[index]
        if name.registryIndex != nil || field.registryIndex != nil { return name.registryIndex == field.registryIndex }
        return name.matches(registryIndex: nil, wireName: wireName(at: index))
    }

    /// Indices of the fields with this name, in order.
    public func indices(of name: HeaderName) -> [Int] {
        fields.indices.filter { matches(name, at: $0) }
    }

    /// The first of `names` (in their order) that has more than one field, in one pass over the fields and without
    /// allocating: validation asks this of every message for the headers that may appear only once.
    public func firstRepeated(among names: [HeaderName]) -> HeaderName? {
        // Registered names are told apart by their registry index (below 256): a bit each for "seen" and "seen twice".
        var seen = RegistryBits()
        var repeated = RegistryBits()
        for field in fields {
            guard let index = field.registryIndex else { continue }
            if seen.contains(index) { repeated.insert(index) } else { seen.insert(index) }
        }
        for name in names {
            if let index = name.registryIndex {
                if repeated.contains(index) { return name }
            } else if case .repeated = occurrence(of: name) {
                return name
            }
        }
        return nil
    }

    /// How often a header that may appear once does.
    enum Occurrence: Equatable {
        case absent
        case once(at: Int)
        case repeated
    }

    /// Where the one `name` field is, in one pass that stops at a second one and allocates nothing: what the typed
    /// reads of single-valued headers (From, To, Call-ID, CSeq…) ask on every message.
    func occurrence(of name: HeaderName) -> Occurrence {
        var found: Int?
        for index in fields.indices where matches(name, at: index) {
            guard found == nil else { return .repeated }
            found = index
        }
        return found.map { .once(at: $0) } ?? .absent
    }

    public func contains(_ name: HeaderName) -> Bool {
        fields.indices.contains { matches(name, at: $0) }
    }

    /// The first field with this name, as bytes.
    public func first(_ name: HeaderName) -> ArraySlice<UInt8>? {
        fields.indices.first { matches(name, at: $0) }.map { value(at: $0) }
    }

    /// The first field with this name, as text.
    public func firstString(_ name: HeaderName) -> String? {
        first(name).map { String(sipBytes: $0) }
    }

    /// Every field with this name, one entry per field line (a list header's commas are not split).
    public func fieldValues(_ name: HeaderName) -> [ArraySlice<UInt8>] {
        fields.indices.filter { matches(name, at: $0) }.map { value(at: $0) }
    }

    /// Every value with this name: fields of list headers (`name.isList`) are split at top-level commas
    /// (not inside quotes, angle brackets or escapes), so `Via: a, b` and two `Via` lines give the same result.
    public func values(_ name: HeaderName) throws(SIPParseError) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        for index in fields.indices where matches(name, at: index) {
            let fieldValue = value(at: index)
            if name.isList {
                result.append(contentsOf: try HeaderValueSplitter.split(fieldValue))
            } else {
                result.append(fieldValue)
            }
        }
        return result
    }

    // MARK: Changing fields

    /// Appends a field at the end.
    public mutating func append(_ name: HeaderName, _ value: some Collection<UInt8>) {
        let stored = store(value)
        append(name, stored: stored)
    }

    public mutating func append(_ name: HeaderName, _ value: String) {
        append(name, Array(value.utf8))
    }

    /// Inserts a field before the first field with the same name (or at the top when there is none): the place
    /// a proxy puts its own Via or Record-Route.
    public mutating func prepend(_ name: HeaderName, _ value: some Collection<UInt8>) {
        let stored = store(value)
        prepend(name, stored: stored)
    }

    public mutating func prepend(_ name: HeaderName, _ value: String) {
        prepend(name, Array(value.utf8))
    }

    /// Sets one field with this name: the first existing one is rewritten in place and any others are removed;
    /// without one, the field is appended.
    public mutating func set(_ name: HeaderName, _ value: some Collection<UInt8>) {
        let stored = store(value)
        set(name, stored: stored)
    }

    public mutating func set(_ name: HeaderName, _ value: String) {
        set(name, Array(value.utf8))
    }

    /// Replaces the value of the field at `index`, keeping its position.
    public mutating func replaceValue(at index: Int, with value: some Collection<UInt8>) {
        let stored = store(value)
        replaceValue(at: index, stored: stored)
    }

    /// Replaces the first value of a header, keeping its position. For a list field holding several values
    /// (`Via: a, b`), the field is split so that only the first value changes and the others stay, in order
    /// (a proxy adding `received` to the top Via must not touch the Vias below it).
    public mutating func replaceFirstValue(
        _ name: HeaderName, with value: some Collection<UInt8>
    ) throws(SIPParseError) {
        guard let index = fields.indices.first(where: { matches(name, at: $0) }) else {
            append(name, value)
            return
        }
        let headerName = self.name(at: index)
        let replacement = Field(
            registryIndex: name.registryIndex, storage: .rewritten(name: headerName, value: store(value)))
        guard name.isList else {
            fields[index] = replacement
            return
        }
        let rest = try HeaderValueSplitter.split(self.value(at: index)).dropFirst()
        fields[index] = replacement
        if !rest.isEmpty {
            var joined: [UInt8] = []
            for (offset, part) in rest.enumerated() {
                if offset > 0 { joined.append(contentsOf: ", ".utf8) }
                joined.append(contentsOf: part)
            }
            let stored = store(joined)
            fields.insert(
                Field(registryIndex: name.registryIndex, storage: .rewritten(name: headerName, value: stored)),
                at: index + 1)
        }
    }

    /// Removes every field with this name; returns how many were removed.
    @discardableResult
    public mutating func remove(_ name: HeaderName) -> Int {
        let before = fields.count
        var index = fields.count - 1
        while index >= 0 {
            if matches(name, at: index) { fields.remove(at: index) }
            index -= 1
        }
        return before - fields.count
    }

    /// Removes the field at `index`.
    public mutating func remove(at index: Int) {
        fields.remove(at: index)
    }

    /// Removes the fields for which `shouldRemove(name, value)` is true.
    public mutating func removeAll(where shouldRemove: (HeaderName, ArraySlice<UInt8>) throws -> Bool) rethrows {
        var index = fields.count - 1
        while index >= 0 {
            if try shouldRemove(name(at: index), value(at: index)) { fields.remove(at: index) }
            index -= 1
        }
    }

    // MARK: Storing new values
    //
    // Every change stores the new value first (`store`), then places the field (`append(_:stored:)`, …): a range
    // stored is valid only until the next store unless a field holds it, since a store may compact.

    mutating func append(_ name: HeaderName, stored value: Range<Int>) {
        fields.append(rewrittenField(name, value))
    }

    mutating func prepend(_ name: HeaderName, stored value: Range<Int>) {
        let position = fields.indices.first { matches(name, at: $0) } ?? 0
        fields.insert(rewrittenField(name, value), at: position)
    }

    mutating func set(_ name: HeaderName, stored value: Range<Int>) {
        let positions = indices(of: name)
        guard let first = positions.first else {
            append(name, stored: value)
            return
        }
        fields[first] = rewrittenField(name, value)
        for index in positions.dropFirst().reversed() { fields.remove(at: index) }
    }

    /// The field at `index` keeps its name (as written, for an extension header) and position.
    mutating func replaceValue(at index: Int, stored value: Range<Int>) {
        fields[index] = Field(
            registryIndex: fields[index].registryIndex, storage: .rewritten(name: name(at: index), value: value))
    }

    /// Appends a new value to `appended` and returns where it is.
    mutating func store(_ value: some Collection<UInt8>) -> Range<Int> {
        store { $0.append(contentsOf: value) }
    }

    /// `store(_:)` for a value written by `write` straight into `appended` (a typed value's serializer). The
    /// buffer starts with room for the headers of a message built in code, so that building one does not grow it
    /// step by step.
    mutating func store(writing write: (inout [UInt8]) -> Void) -> Range<Int> {
        if appended.isEmpty { appended.reserveCapacity(Self.initialCapacity) }
        if appended.count >= appendedLimit { compactAppended() }
        let start = appended.count
        write(&appended)
        return start..<appended.count
    }

    /// Room for the values a message built in code sets (an INVITE's run to about 400 bytes).
    static let initialCapacity = 512

    /// `appended` is never compacted below this size: a message set a few times keeps its replaced values.
    static let compactionFloor = 4096

    /// Keeps only the values fields still refer to, so that a message kept and changed again and again (a
    /// call's INVITE resent with a new Via and CSeq) does not grow without end. The next compaction waits until
    /// the buffer has doubled again, so that storing stays cheap however many values are live.
    mutating func compactAppended() {
        var compacted: [UInt8] = []
        compacted.reserveCapacity(Self.initialCapacity)
        for index in fields.indices {
            guard case .rewritten(let name, let value) = fields[index].storage else { continue }
            let start = compacted.count
            compacted.append(contentsOf: appended[value])
            fields[index].storage = .rewritten(name: name, value: start..<compacted.count)
        }
        appended = compacted
        appendedLimit = Swift.max(Self.compactionFloor, 2 * compacted.count)
    }

    func rewrittenField(_ name: HeaderName, _ value: Range<Int>) -> Field {
        Field(registryIndex: name.registryIndex, storage: .rewritten(name: name, value: value))
    }

    // MARK: Folding

    /// Replaces each line break and the white space around it by one space (RFC 3261 §7.3.1: a folded line is
    /// equivalent to a single space).
    static func unfold(_ value: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var result: [UInt8] = []
        result.reserveCapacity(value.count)
        var index = value.startIndex
        while index < value.endIndex {
            let byte = value[index]
            if byte == ASCII.cr || byte == ASCII.lf {
                while let last = result.last, ASCII.isWhitespace(last) { result.removeLast() }
                var next = index
                while next < value.endIndex,
                    ASCII.isWhitespace(value[next]) || value[next] == ASCII.cr || value[next] == ASCII.lf
                {
                    next += 1
                }
                result.append(ASCII.space)
                index = next
            } else {
                result.append(byte)
                index += 1
            }
        }
        return result[...]
    }
}

extension SIPHeaders: Sequence {
    /// A header field as seen from outside: its name and unfolded value.
    public struct Element: Sendable {
        public var name: HeaderName
        public var value: ArraySlice<UInt8>
        public var valueString: String { String(sipBytes: value) }
    }

    /// Walks the fields in wire order; a concrete iterator, so that a loop over a message's headers neither
    /// allocates nor calls through an existential.
    public struct Iterator: IteratorProtocol {
        let headers: SIPHeaders
        var index = 0

        public mutating func next() -> Element? {
            guard index < headers.fields.count else { return nil }
            defer { index += 1 }
            return Element(name: headers.name(at: index), value: headers.value(at: index))
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(headers: self)
    }
}

/// A set of header registry indices (0–255) in four words on the stack.
struct RegistryBits {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    func contains(_ index: UInt8) -> Bool {
        word(index >> 6) & (1 << UInt64(index & 63)) != 0
    }

    mutating func insert(_ index: UInt8) {
        let bit: UInt64 = 1 << UInt64(index & 63)
        switch index >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    private func word(_ number: UInt8) -> UInt64 {
        switch number {
        case 0: words.0
        case 1: words.1
        case 2: words.2
        default: words.3
        }
    }
}
