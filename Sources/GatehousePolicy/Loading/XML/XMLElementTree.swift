/// A small, strict XML reader for the documents a policy embeds (TS 29.228's `IMSSubscription` and its parts):
/// elements, attributes (read and kept), character data, the five predefined entities and numeric character
/// references, CDATA sections, comments, processing instructions and the XML declaration. No DTDs, no external
/// entities, nothing fetched: a provisioning file must not make the loader read anything else (the XXE class of
/// attacks), and the documents need none of it.
///
/// Limits keep a hostile file cheap: nesting at most `maximumDepth` deep, at most `maximumElements` elements.
struct XMLElementTree {
    struct Element: Equatable {
        var name: String
        var attributes: [String: String] = [:]
        var children: [Element] = []
        /// The character data directly inside, concatenated, entities resolved.
        var text = ""
        /// Where the start tag begins, 1-based.
        var line: Int
        var column: Int

        /// The children of this name, in order.
        func children(named name: String) -> [Element] { children.filter { $0.name == name } }
        /// The first child of this name.
        func child(_ name: String) -> Element? { children.first { $0.name == name } }
        /// Every element of this name in the subtree, this one included, in document order.
        func descendants(named name: String) -> [Element] {
            (self.name == name ? [self] : []) + children.flatMap { $0.descendants(named: name) }
        }
        /// The text, without surrounding whitespace.
        var trimmedText: String {
            String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
        }
    }

    struct SyntaxError: Error, Equatable {
        var message: String
        var line: Int
        var column: Int
    }

    static let maximumDepth = 32
    static let maximumElements = 10_000

    /// The document's root element.
    static func parse(_ text: String) throws(SyntaxError) -> Element {
        var reader = XMLCursor(Array(text.unicodeScalars))
        return try reader.document()
    }
}

/// The parser's position in the text.
private struct XMLCursor {
    let scalars: [Unicode.Scalar]
    var index = 0
    var line = 1
    var column = 1
    var elementCount = 0

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    typealias Element = XMLElementTree.Element

    var atEnd: Bool { index >= scalars.count }
    var current: Unicode.Scalar? { atEnd ? nil : scalars[index] }

    func error(_ message: String) -> XMLElementTree.SyntaxError {
        XMLElementTree.SyntaxError(message: message, line: line, column: column)
    }

    mutating func advance(_ count: Int = 1) {
        for _ in 0..<count where !atEnd {
            if scalars[index] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
    }

    func looksAt(_ text: String) -> Bool {
        var position = index
        for scalar in text.unicodeScalars {
            guard position < scalars.count, scalars[position] == scalar else { return false }
            position += 1
        }
        return true
    }

    mutating func skipWhitespace() {
        while let scalar = current, scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" { advance() }
    }

    /// Skips past `terminator`, failing with `what` when the text ends first.
    mutating func skip(past terminator: String, _ what: String) throws(XMLElementTree.SyntaxError) -> String {
        var skipped = String.UnicodeScalarView()
        while !looksAt(terminator) {
            guard let scalar = current else { throw error("\(what) is not closed") }
            skipped.append(scalar)
            advance()
        }
        advance(terminator.unicodeScalars.count)
        return String(skipped)
    }

    /// Comments, processing instructions (and the declaration) and whitespace between elements.
    mutating func skipMisc() throws(XMLElementTree.SyntaxError) {
        while true {
            skipWhitespace()
            if looksAt("<?") {
                _ = try skip(past: "?>", "a processing instruction")
            } else if looksAt("<!--") {
                _ = try skip(past: "-->", "a comment")
            } else if looksAt("<!") {
                throw error("document type declarations are not accepted")
            } else {
                return
            }
        }
    }

    mutating func document() throws(XMLElementTree.SyntaxError) -> Element {
        if current == "\u{FEFF}" { advance() }
        try skipMisc()
        guard current == "<" else { throw error("the document has no root element") }
        let root = try element(depth: 1)
        try skipMisc()
        guard atEnd else { throw error("text after the root element") }
        return root
    }

    mutating func name() throws(XMLElementTree.SyntaxError) -> String {
        var text = String.UnicodeScalarView()
        while let scalar = current,
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_-.:".unicodeScalars.contains(scalar)
        {
            text.append(scalar)
            advance()
        }
        guard !text.isEmpty else { throw error("a name was expected") }
        return String(text)
    }

    mutating func element(depth: Int) throws(XMLElementTree.SyntaxError) -> Element {
        guard depth <= XMLElementTree.maximumDepth else {
            throw error("elements nest deeper than \(XMLElementTree.maximumDepth)")
        }
        elementCount += 1
        guard elementCount <= XMLElementTree.maximumElements else {
            throw error("more than \(XMLElementTree.maximumElements) elements")
        }
        var element = Element(name: "", line: line, column: column)
        advance()  // <
        element.name = try name()
        while true {
            skipWhitespace()
            if looksAt("/>") {
                advance(2)
                return element
            }
            if current == ">" {
                advance()
                break
            }
            let attribute = try name()
            skipWhitespace()
            guard current == "=" else { throw error("attribute '\(attribute)' has no value") }
            advance()
            skipWhitespace()
            guard let quote = current, quote == "\"" || quote == "'" else {
                throw error("attribute '\(attribute)' needs a quoted value")
            }
            advance()
            var value = ""
            while current != quote {
                guard let scalar = current else { throw error("attribute '\(attribute)' is not closed") }
                if scalar == "<" { throw error("'<' in the value of attribute '\(attribute)'") }
                if scalar == "&" {
                    value += try reference()
                } else {
                    value.unicodeScalars.append(scalar)
                    advance()
                }
            }
            advance()
            element.attributes[attribute] = value
        }
        while true {
            if looksAt("</") {
                advance(2)
                let closing = try name()
                guard closing == element.name else {
                    throw error("</\(closing)> closes <\(element.name)>")
                }
                skipWhitespace()
                guard current == ">" else { throw error("</\(closing) is not closed") }
                advance()
                return element
            } else if looksAt("<!--") {
                _ = try skip(past: "-->", "a comment")
            } else if looksAt("<![CDATA[") {
                advance(9)
                element.text += try skip(past: "]]>", "a CDATA section")
            } else if looksAt("<?") {
                _ = try skip(past: "?>", "a processing instruction")
            } else if current == "<" {
                element.children.append(try self.element(depth: depth + 1))
            } else if current == "&" {
                element.text += try reference()
            } else if let scalar = current {
                element.text.unicodeScalars.append(scalar)
                advance()
            } else {
                throw error("<\(element.name)> is not closed")
            }
        }
    }

    /// `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` `&#NN;` `&#xHH;`; any other entity is an error (there is no DTD to
    /// define one).
    mutating func reference() throws(XMLElementTree.SyntaxError) -> String {
        advance()  // &
        var body = ""
        while current != ";" {
            guard let scalar = current, body.unicodeScalars.count < 10 else {
                throw error("an entity reference is not closed with ';'")
            }
            body.unicodeScalars.append(scalar)
            advance()
        }
        advance()
        switch body {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "quot": return "\""
        case "apos": return "'"
        default:
            let number: UInt32? =
                if body.hasPrefix("#x") { UInt32(body.dropFirst(2), radix: 16) } else if body.hasPrefix("#") {
                    UInt32(body.dropFirst(), radix: 10)
                } else { nil }
            guard let number, let scalar = Unicode.Scalar(number) else {
                throw error("unknown entity '&\(body);'")
            }
            return String(Character(scalar))
        }
    }
}
