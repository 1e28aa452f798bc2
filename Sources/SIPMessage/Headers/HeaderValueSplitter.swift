/// Splits the value of a list header (`Via: a, b`, `Contact: <sip:a>, "Doe, J" <sip:b>`) into its values.
///
/// A comma separates values only at the top level: not inside a quoted string (where `\"` escapes a quote), and
/// not inside `<…>` (a URI may contain commas in its user part or headers). Empty elements (`a,,b`) are skipped,
/// as RFC 3261 §7.3.1 allows; an unterminated quote or angle bracket is an error rather than a guess.
enum HeaderValueSplitter {
    static func split(_ value: ArraySlice<UInt8>) throws(SIPParseError) -> [ArraySlice<UInt8>] {
        var parts: [ArraySlice<UInt8>] = []
        var start = value.startIndex
        var index = value.startIndex
        var inQuotes = false
        var angleDepth = 0
        while index < value.endIndex {
            let byte = value[index]
            if inQuotes {
                if byte == ASCII.backslash {
                    index += 1  // the escaped character, whatever it is
                } else if byte == ASCII.quote {
                    inQuotes = false
                }
            } else if byte == ASCII.quote {
                inQuotes = true
            } else if byte == ASCII.lessThan {
                angleDepth += 1
            } else if byte == ASCII.greaterThan {
                if angleDepth == 0 {
                    throw SIPParseError(.unbalancedAngleBrackets, "'>' without '<' in a header value")
                }
                angleDepth -= 1
            } else if byte == ASCII.comma && angleDepth == 0 {
                let part = value[start..<index].trimmingWhitespace()
                if !part.isEmpty { parts.append(part) }
                start = index + 1
            }
            index += 1
        }
        if inQuotes { throw SIPParseError(.unbalancedQuotes, "unterminated quoted string in a header value") }
        if angleDepth != 0 { throw SIPParseError(.unbalancedAngleBrackets, "'<' without '>' in a header value") }
        let last = value[start..<value.endIndex].trimmingWhitespace()
        if !last.isEmpty { parts.append(last) }
        return parts
    }
}

extension SIPHeaders {
    /// Splits one field's value at top-level commas, as `values(_:)` does for list headers (commas inside quotes
    /// or `<…>` do not split). For code that rewrites a list field value by value.
    ///
    /// - Throws: `.unbalancedQuotes`, `.unbalancedAngleBrackets`.
    public static func splitList(_ value: ArraySlice<UInt8>) throws(SIPParseError) -> [ArraySlice<UInt8>] {
        try HeaderValueSplitter.split(value)
    }
}
