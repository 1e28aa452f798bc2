extension SIPMessage {
    /// Whether this message still has exactly the wire form of `original`, the message it was copied from before a
    /// stage had a chance to change it: same start line, same header fields in the same order, same body, each
    /// still pointing into the parsed bytes.
    ///
    /// Replay calls this on every message to tell "accepted" from "rewritten"; it compares ranges, never bytes, so
    /// it costs a walk over the field array instead of two serializations. A message a stage set a field of
    /// (even to the same value) counts as changed: that is what the wire would carry in canonical form.
    public func hasSameWireForm(as original: SIPMessage) -> Bool {
        guard originalStartLine != nil, originalStartLine == original.originalStartLine,
            body.startIndex == original.body.startIndex, body.endIndex == original.body.endIndex,
            headers.fields.count == original.headers.fields.count
        else { return false }
        // By index: a field is not copied to be compared.
        for index in headers.fields.indices {
            guard case .original(let line, _, _, _) = headers.fields[index].storage,
                case .original(let originalLine, _, _, _) = original.headers.fields[index].storage,
                line == originalLine
            else { return false }
        }
        return true
    }
}
