/// One question as sent: the bytes of a standard query, and the test a response must pass to answer it.
///
/// A response answers the query only if its ID, its question (name without regard to case, type and class) and
/// — checked by the caller — its source address all match. The ID alone is 16 bits: matching the question too is
/// what RFC 5452 §9.1 asks of a resolver that wants to resist spoofed answers.
public struct DNSQuery: Hashable, Sendable {
    public var id: UInt16
    public var question: DNSQuestion
    /// The UDP payload size advertised in an EDNS(0) OPT record (RFC 6891 §6.2.3), or nil for a plain RFC 1035
    /// query whose UDP answers stop at 512 bytes.
    public var udpPayloadSize: UInt16?

    public init(id: UInt16, question: DNSQuestion, udpPayloadSize: UInt16? = nil) {
        self.id = id
        self.question = question
        self.udpPayloadSize = udpPayloadSize
    }

    /// The query message: the ID, RD set (a stub asks its server to recurse), one question, and the OPT record
    /// when `udpPayloadSize` is set.
    public var bytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(DNSHeader.length + question.name.wire.count + 16 + 11)
        let header = DNSHeader(
            id: id, flags: DNSHeader.recursionDesiredFlag, questionCount: 1,
            additionalCount: udpPayloadSize == nil ? 0 : 1)
        header.encode(into: &bytes)
        question.encode(into: &bytes)
        if let size = udpPayloadSize {
            // Root name, TYPE OPT, CLASS = payload size, TTL 0 (extended RCODE, version 0, no DO), no options.
            bytes += [0, 0, UInt8(DNSRecordType.opt.rawValue), UInt8(size >> 8), UInt8(truncatingIfNeeded: size)]
            bytes += [0, 0, 0, 0, 0, 0]
        }
        return bytes
    }

    /// Whether `bytes` claim to answer this query: a response to a standard query with this ID and exactly this
    /// question. Only the header and the question are read, so that a response for us whose records are malformed
    /// can be told apart from a stray packet (the first is an answer that failed, the second is ignored).
    public func isAnswered(by bytes: ArraySlice<UInt8>) -> Bool {
        var reader = DNSWireReader(bytes)
        guard let header = try? DNSHeader(reading: &reader), header.id == id, header.isResponse,
            header.opcode == 0, header.questionCount == 1,
            let echoed = try? DNSQuestion(reading: &reader)
        else { return false }
        return echoed == question
    }

    /// The answer to this query in `bytes`: nil when they do not answer it (a stray or spoofed packet, to be
    /// ignored), otherwise the parsed message or why our answer could not be parsed.
    public func answer(in bytes: ArraySlice<UInt8>) -> Result<DNSMessage, DNSWireError>? {
        guard isAnswered(by: bytes) else { return nil }
        do {
            return .success(try DNSMessage(parsing: bytes))
        } catch {
            return .failure(error)
        }
    }
}
