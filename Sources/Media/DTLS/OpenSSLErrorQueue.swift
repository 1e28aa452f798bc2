import COpenSSL

/// OpenSSL's per-thread error queue, read and emptied.
///
/// OpenSSL leaves errors queued on the calling thread; one left behind would be reported by the next, unrelated
/// association on the same event loop. Every failure path therefore drains the queue into its error's detail.
enum OpenSSLErrorQueue {
    /// The queued errors as text (oldest first, `; `-separated), or `fallback` when the queue is empty; the queue
    /// is empty afterwards.
    static func drain(or fallback: String) -> String {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? fallback : messages.joined(separator: "; ")
    }

    /// Empties the queue without reading it (after an expected failure, such as a read that would block).
    static func clear() {
        ERR_clear_error()
    }
}
