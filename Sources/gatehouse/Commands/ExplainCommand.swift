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
            The message file holds one SIP message; bare LF line endings are accepted, and so is a file that ends \
            with the last header line. Admission starts from fresh state (one message is never over a rate \
            limit), and ENUM uses the static table only: DNS is not asked. \
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

    /// `ADDRESS` (port 5060), `ADDRESS:PORT` or `[IPv6]:PORT`; nil for anything else, such as a name, a port out of
    /// 1–65535 or text after the `]` that is not `:PORT`.
    static func parseSource(_ text: String) -> (IPAddress, Int)? {
        if let address = IPAddress(parsing: text) { return (address, 5060) }
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].first == ":" else {
                return nil
            }
            host = text[...close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else {
            return nil
        }
        guard let address = IPAddress(parsing: String(host)), !portText.isEmpty,
            portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(portText), (1...65_535).contains(port)
        else { return nil }
        return (address, port)
    }

    /// Header lines ended by a bare LF become CRLF (a message written in an editor), and a header section the file
    /// leaves open gets its empty line (an editor ends the file with the last header's newline, and the parser
    /// would refuse the message as incomplete); the body is kept as it is.
    static func withCRLF(_ bytes: [UInt8]) -> [UInt8] {
        let crlf: [UInt8] = [0x0D, 0x0A]
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 64)
        var inHeaders = true
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == 0x0A, inHeaders {
                if previous != 0x0D { result.append(0x0D) }
                result.append(0x0A)
                if result.suffix(4).elementsEqual(crlf + crlf) { inHeaders = false }
            } else {
                result.append(byte)
            }
            previous = byte
        }
        if inHeaders, !result.isEmpty {
            if !result.suffix(2).elementsEqual(crlf) { result += crlf }
            result += crlf
        }
        return result
    }
}
