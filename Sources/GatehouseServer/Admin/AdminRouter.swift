import Foundation
import NIOCore

/// What each path of the admin listener answers.
///
/// ```
///  GET    /                 the status page (HTML, no external assets)
///  GET    /health           200 while the process serves requests (liveness)
///  GET    /ready            200 when listening and not draining, else 503 (readiness: take it out of rotation)
///  GET    /metrics          Prometheus text exposition
///  GET    /api/status       StatusDocument
///  GET    /api/policy       PolicyDocument
///  POST   /api/reload       re-reads the policy file → ReloadDocument (422 when refused)
///  GET    /api/calls        CallsDocument; ?peer= ?realm= (either side) ?state=setup|answered ?limit=
///  GET    /api/registrations RegistrationsDocument
///  POST   /api/drain        refuse new calls from now on (calls in progress are never cut) → DrainDocument (202)
///  DELETE /api/drain        take new calls again
///  GET    /api/blocklist    BlocklistDocument
///  POST   /api/blocklist    {"address": IP, "duration": "10m"} → BlockDocument (201; 409 for an allowlisted address)
///  DELETE /api/blocklist/IP lift a block (404 when there is none)
/// ```
/// Unknown paths get 404, known paths with another method 405 with `Allow`.
public struct AdminRouter: Sendable {
    let node: GatehouseNode
    /// The file `POST /api/reload` re-reads; nil: the node's policy came from memory and cannot be reloaded here.
    let policyFile: String?
    /// Whether the listeners are bound (set by the lifecycle once they are).
    let isListening: @Sendable () -> Bool

    public init(node: GatehouseNode, policyFile: String?, isListening: @escaping @Sendable () -> Bool) {
        self.node = node
        self.policyFile = policyFile
        self.isListening = isListening
    }

    public func handle(_ request: AdminRequest) async -> AdminResponse {
        let method = request.method == "HEAD" ? "GET" : request.method
        switch (method, request.path) {
        case ("GET", "/"), ("GET", "/index.html"):
            return AdminResponse(status: 200, contentType: "text/html; charset=utf-8", body: StatusPage.html)
        case ("GET", "/health"):
            return .json(["status": "alive"])
        case ("GET", "/ready"):
            return await readiness()
        case ("GET", "/metrics"):
            return AdminResponse(
                status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8",
                body: await node.metricsExposition())
        case ("GET", "/api/status"):
            return .json(await node.statusDocument(policyFile: policyFile, listening: isListening()))
        case ("GET", "/api/policy"):
            return .json(node.policyDocument(policyFile: policyFile))
        case ("POST", "/api/reload"):
            return await reload()
        case ("GET", "/api/calls"):
            return await calls(request.query)
        case ("GET", "/api/registrations"):
            return .json(
                RegistrationsDocument(
                    relayed: await node.engine.relayedRegistrations(), ims: await node.imsRegistrations()))
        case ("POST", "/api/drain"):
            node.beginDrain()
            return .json(DrainDocument(draining: true, activeCalls: await node.activeCallCount()), status: 202)
        case ("DELETE", "/api/drain"):
            node.engine.endDrain()
            return .json(DrainDocument(draining: false, activeCalls: await node.activeCallCount()))
        case ("GET", "/api/blocklist"):
            return await blocklist()
        case ("POST", "/api/blocklist"):
            return await block(request.body)
        case ("DELETE", let path) where path.hasPrefix("/api/blocklist/"):
            return await unblock(String(path.dropFirst("/api/blocklist/".count)))
        default:
            if let allowed = Self.allowedMethods[request.path] {
                return AdminResponse.problem(405, "\(request.method) is not allowed on \(request.path)")
                    .with(header: "Allow", allowed.joined(separator: ", "))
            }
            return .problem(404, "no such resource: \(request.path)")
        }
    }

    static let allowedMethods: [String: [String]] = [
        "/": ["GET", "HEAD"], "/index.html": ["GET", "HEAD"], "/health": ["GET", "HEAD"], "/ready": ["GET", "HEAD"],
        "/metrics": ["GET", "HEAD"], "/api/status": ["GET", "HEAD"], "/api/policy": ["GET", "HEAD"],
        "/api/reload": ["POST"], "/api/calls": ["GET", "HEAD"], "/api/registrations": ["GET", "HEAD"],
        "/api/drain": ["POST", "DELETE"], "/api/blocklist": ["GET", "HEAD", "POST"],
    ]

    private func readiness() async -> AdminResponse {
        if !isListening() { return .json(Readiness(ready: false, reason: "starting"), status: 503) }
        if await node.engine.isDraining() { return .json(Readiness(ready: false, reason: "draining"), status: 503) }
        return .json(Readiness(ready: true, reason: nil))
    }

    struct Readiness: Codable {
        var ready: Bool
        var reason: String?
    }

    private func reload() async -> AdminResponse {
        guard let policyFile else {
            return .problem(409, "this node was started without a policy file; there is nothing to re-read")
        }
        do {
            let outcome = try await node.reload(from: policyFile)
            return .json(
                ReloadDocument(
                    result: "applied", generation: outcome.generation,
                    addedListeners: outcome.addedListeners.map(\.description),
                    removedListeners: outcome.removedListeners.map(\.description), problems: []))
        } catch let error as GatehouseNode.ReloadError {
            return .json(
                ReloadDocument(
                    result: "refused", generation: node.policyInForce.snapshot.generation, addedListeners: [],
                    removedListeners: [], problems: ["\(error.code): "] + error.problems),
                status: 422)
        } catch {
            return .problem(500, "reload failed: \(error)")
        }
    }

    private func calls(_ query: [String: String]) async -> AdminResponse {
        let all = await node.engine.callSummaries()
        var calls = all
        if let peer = query["peer"] { calls = calls.filter { $0.fromPeer == peer || $0.toPeer == peer } }
        if let realm = query["realm"] { calls = calls.filter { $0.fromRealm == realm || $0.toRealm == realm } }
        if let state = query["state"] { calls = calls.filter { $0.state == state } }
        if let text = query["limit"] {
            guard let limit = Int(text), limit >= 0 else { return .problem(400, "limit must be a whole number") }
            calls = Array(calls.prefix(limit))
        }
        return .json(CallsDocument(calls: calls, total: all.count))
    }
}

extension AdminResponse {
    func with(header name: String, _ value: String) -> AdminResponse {
        var response = self
        response.headers.append((name, value))
        return response
    }
}
