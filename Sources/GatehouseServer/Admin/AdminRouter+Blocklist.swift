import Border
import Foundation
import GatehousePolicy

/// `/api/blocklist`: the blocks in force (userspace and, with `firewall.kernel_blocklist`, the kernel set), and an
/// operator's own blocks and unblocks.
extension AdminRouter {
    func blocklist() async -> AdminResponse {
        .json(BlocklistDocument(entries: await node.blocklist().map(Self.document)))
    }

    func block(_ body: [UInt8]) async -> AdminResponse {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let request = try? decoder.decode(BlockRequest.self, from: Data(body)) else {
            return .problem(400, #"the body must be {"address": "IP", "duration": "10m"}"#)
        }
        guard let address = IPAddress(parsing: request.address) else {
            return .problem(400, "'\(request.address)' is not an IP address")
        }
        guard let duration = PolicyDuration.parse(request.duration), duration > .zero, duration <= .seconds(604_800)
        else {
            return .problem(400, "duration '\(request.duration)' must be like 30s, 10m or 2h (at most 7 days)")
        }
        guard let blocked = await node.block(address, for: duration) else {
            return .problem(409, "\(address) is on the allowlist (a trusted peer or admission.blocklist.allowlist)")
        }
        return .json(Self.document(blocked), status: 201)
    }

    func unblock(_ text: String) async -> AdminResponse {
        guard let address = IPAddress(parsing: text) else { return .problem(400, "'\(text)' is not an IP address") }
        guard await node.unblock(address) else { return .problem(404, "\(address) is not blocked") }
        return .json(["unblocked": "\(address)"])
    }

    static func document(_ source: BlockedSource) -> BlockDocument {
        BlockDocument(
            address: "\(source.address)", reason: source.reason,
            remainingSeconds: Int(source.remaining.components.seconds),
            expires: ISO8601DateFormatter().string(from: source.expires), escalation: source.escalation,
            kernel: source.kernel)
    }
}
