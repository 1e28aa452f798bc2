import ArgumentParser
import GatehousePolicy
import GatehouseServer
import SIPMessage

/// `gatehouse explain --policy P --message M.sip --from ADDR[:PORT]`: what the pipeline would do to one message,
/// step by step, without sending anything.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show, step by step, what Gatehouse would do to a SIP message from an address, without sending it.",
        discussion: """
            The message file holds one SIP message; bare LF line endings are accepted. Admission starts from fresh \
            state (one message is never over a rate limit), and ENUM uses the static table only: DNS is not asked. \
            Exits 0 when the message would be forwarded or answered by Gatehouse, 1 when it would be refused or \
            dropped, 2 when the policy or the message cannot be read.
            """)

    @Option(help: "The policy file.", completion: .file(extensions: ["yaml", "yml"]))
    var policy: String

    @Option(help: "The file holding the SIP message.", completion: .file())
    var message: String

    @Option(help: "Where the message comes from: ADDRESS, ADDRESS:PORT or [IPv6]:PORT.")
    var from: String

    @Option(help: "The realm it arrives on (default: the realm of the peer owning the address).")
    var realm: String?

    func run() throws {
        let loaded = try loadPolicyOrExit(policy)
        guard let (address, port) = Self.parseSource(from) else {
            printToStandardError("--from '\(from)' is not ADDRESS, ADDRESS:PORT or [IPv6]:PORT")
            throw ExitCode(2)
        }
        let bytes: [UInt8]
        do {
            bytes = Self.withCRLF(Array(try PolicyFile.read(path: message).utf8))
        } catch {
            printToStandardError("\(message): \(error)")
            throw ExitCode(2)
        }
        let explanation = MessageExplainer(policy: loaded).explain(bytes, from: address, port: port, realm: realm)
        print(explanation.text)
        if explanation.isRefusal { throw ExitCode(1) }
    }

    static func parseSource(_ text: String) -> (IPAddress, Int)? {
        if let address = IPAddress(parsing: text) { return (address, 5060) }
        let host: Substring
        let portText: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(after: close)...].dropFirst()
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else {
            return nil
        }
        guard let address = IPAddress(parsing: String(host)), let port = Int(portText), (1...65_535).contains(port)
        else { return nil }
        return (address, port)
    }

    /// Header lines ended by a bare LF become CRLF (a message written in an editor); the body is kept as it is,
    /// its Content-Length adjusted by the parser's rules only if the file says so.
    static func withCRLF(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 64)
        var previous: UInt8 = 0
        var index = 0
        var blankLines = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A, blankLines == 0 {
                if previous != 0x0D { result.append(0x0D) }
                result.append(0x0A)
                if result.count >= 4, result.suffix(4) == [0x0D, 0x0A, 0x0D, 0x0A] { blankLines = 1 }
            } else {
                result.append(byte)
            }
            previous = byte
            index += 1
        }
        return result
    }
}
