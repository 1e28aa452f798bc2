/// Cuts a TCP or TLS byte stream into SIP messages (RFC 3261 §18.3) and keep-alive pings (RFC 5626 §3.5.1).
///
/// Bytes arrive in arbitrary pieces: a message split over many reads, or several messages in one. The framer
/// buffers them and yields each complete message once its header section has ended and its Content-Length bytes of
/// body are present. On a stream Content-Length is mandatory: without it the end of the message cannot be known,
/// and the connection must be closed after answering 400. A double CRLF between messages is a keep-alive ping
/// (answer with one CRLF); a single CRLF is the pong.
///
/// The framer holds at most one header section (`maxHeaderSectionSize`) and one body (`maxBodySize`) of
/// unconsumed bytes; a peer that sends more without completing a message gets an error, never unbounded memory.
public struct SIPStreamFramer: Sendable {
    public enum Frame: Sendable, Equatable {
        /// A complete message, exactly its bytes.
        case message([UInt8])
        /// A CRLFCRLF keep-alive ping: answer with a CRLF pong.
        case ping
        /// A single CRLF: a pong, or a stray line ending between messages.
        case pong
    }

    public let limits: SIPLimits
    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// Where to resume searching for the end of the header section, so a drip-fed message is scanned once.
    private var scanIndex = 0
    /// Where the message being received ends, once its header section has arrived and its Content-Length was read,
    /// so that a drip-fed body does not make the header section be read again for every byte.
    private var pendingMessageEnd: Int?

    public init(limits: SIPLimits = SIPLimits()) {
        self.limits = limits
    }

    /// Bytes received but not yet returned as a frame.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    public mutating func append(_ bytes: some Collection<UInt8>) {
        if readIndex > 0 && readIndex >= buffer.count / 2 {
            buffer.removeSubrange(0..<readIndex)
            scanIndex -= readIndex
            pendingMessageEnd = pendingMessageEnd.map { $0 - readIndex }
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete frame, or nil when more bytes are needed. After an error the stream cannot be resynced:
    /// answer if possible and close the connection.
    public mutating func next() throws(SIPParseError) -> Frame? {
        if pendingMessageEnd == nil, let keepAlive = nextKeepAlive() { return keepAlive }
        guard readIndex < buffer.count else { return nil }

        let messageEnd: Int
        if let pendingMessageEnd {
            messageEnd = pendingMessageEnd
        } else {
            guard let headerEnd = findHeaderEnd() else {
                // The section may be `maxHeaderSectionSize` bytes and its empty line (up to 2 more): a section that
                // has not ended after that many bytes can only be too large.
                if buffer.count - readIndex > limits.maxHeaderSectionSize + 1 {
                    throw SIPParseError(
                        .messageTooLarge, status: .messageTooLarge,
                        "no end of the header section within \(limits.maxHeaderSectionSize) bytes")
                }
                return nil
            }
            guard let contentLength = try Self.contentLength(in: buffer[readIndex..<headerEnd]) else {
                throw SIPParseError(.missingContentLength, "a message on a stream transport has no Content-Length")
            }
            guard contentLength <= limits.maxBodySize else {
                throw SIPParseError(
                    .bodyTooLarge, status: .requestEntityTooLarge,
                    "Content-Length \(contentLength) exceeds the body limit of \(limits.maxBodySize)")
            }
            messageEnd = headerEnd + contentLength
        }
        guard messageEnd <= buffer.count else {
            pendingMessageEnd = messageEnd
            return nil
        }
        pendingMessageEnd = nil
        let message = Array(buffer[readIndex..<messageEnd])
        readIndex = messageEnd
        scanIndex = messageEnd
        return .message(message)
    }

    /// A ping or pong at the current position: line endings before the next message. CRLFCRLF is a ping; a
    /// CRLF followed by anything else is a pong. A CRLF at the very end of what has arrived may be the first half
    /// of a ping, so it waits for the next bytes (a pong needs no answer, so waiting costs nothing).
    private mutating func nextKeepAlive() -> Frame? {
        func lineBreakLength(at index: Int) -> Int?? {
            guard index < buffer.count else { return .some(nil) }  // unknown yet
            if buffer[index] == ASCII.lf { return 1 }
            if buffer[index] == ASCII.cr {
                guard index + 1 < buffer.count else { return .some(nil) }
                return buffer[index + 1] == ASCII.lf ? 2 : nil
            }
            return nil
        }
        guard case .some(.some(let first)) = lineBreakLength(at: readIndex) else { return nil }
        switch lineBreakLength(at: readIndex + first) {
        case .some(.some(let second)):
            readIndex += first + second
            scanIndex = max(scanIndex, readIndex)
            return .ping
        case .some(.none):
            return nil  // wait: this may become a ping
        case .none:
            readIndex += first
            scanIndex = max(scanIndex, readIndex)
            return .pong
        }
    }

    /// The index just past the empty line that ends the header section, if it has arrived.
    private mutating func findHeaderEnd() -> Int? {
        var index = max(scanIndex, readIndex)
        while index < buffer.count {
            if buffer[index] == ASCII.lf {
                // LF LF or LF CR LF ends the header section.
                if index + 1 < buffer.count, buffer[index + 1] == ASCII.lf { return index + 2 }
                if index + 2 < buffer.count, buffer[index + 1] == ASCII.cr, buffer[index + 2] == ASCII.lf {
                    return index + 3
                }
                if index + 2 >= buffer.count {
                    scanIndex = index  // the terminator may be split across reads: look here again
                    return nil
                }
            }
            index += 1
        }
        scanIndex = index
        return nil
    }

    /// Content-Length (or its compact form `l`) from a raw header section, before the message is parsed. A field
    /// folded over several lines (`Content-Length:` CRLF SP `12`) is read as one; repeated fields must agree.
    static func contentLength(in headerSection: ArraySlice<UInt8>) throws(SIPParseError) -> Int? {
        var result: Int?
        /// Where the value of the Content-Length field being read starts, while its continuation lines are read.
        var valueStart: Int?
        var lineStart = headerSection.startIndex
        while true {
            let atEnd = lineStart >= headerSection.endIndex
            let isContinuation = !atEnd && ASCII.isWhitespace(headerSection[lineStart])
            if let start = valueStart, !isContinuation {
                // The field ended at the line before this one.
                let value = headerSection[start..<lineStart].trimmingWhitespace()
                guard let length = value.parseDecimal(maximum: Int(Int32.max)) else {
                    throw SIPParseError(.badContentLength, "Content-Length is not a number")
                }
                if let result, result != length {
                    throw SIPParseError(.badContentLength, "Content-Length given twice with different values")
                }
                result = length
                valueStart = nil
            }
            if atEnd { return result }
            let lineEnd = headerSection[lineStart...].firstIndex(of: ASCII.lf) ?? headerSection.endIndex
            if !isContinuation, let colon = headerSection[lineStart..<lineEnd].firstIndex(of: ASCII.colon) {
                let name = headerSection[lineStart..<colon].trimmingWhitespace()
                if name.equalsCaseInsensitive("content-length".utf8) || name.equalsCaseInsensitive("l".utf8) {
                    valueStart = colon + 1
                }
            }
            lineStart = lineEnd + 1
        }
    }
}
