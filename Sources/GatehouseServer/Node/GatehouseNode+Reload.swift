import Foundation
import GatehousePolicy
import Logging
import SIPMessage
import Transport

/// Replacing the policy of a running node.
///
/// Everything is checked before anything changes (STYLE 8): the file is read and validated, the TLS files of
/// the listeners are checked, and the listeners the new policy adds are bound. Only then is the policy swapped
/// (new messages see it; a message being handled keeps the snapshot it took) and the listeners it dropped are
/// closed, with the connections they accepted. Listeners in both policies are not touched, so their connections
/// stay up. Any failure leaves the old policy in force, entirely, and is counted in `reloadsFailed`.
extension GatehouseNode {
    /// Why a reload was refused.
    public struct ReloadError: Error, CustomStringConvertible {
        public struct Code: Hashable, Sendable, CustomStringConvertible {
            public var rawValue: String
            public var description: String { rawValue }
            /// The policy file could not be read.
            public static let unreadable = Code(rawValue: "unreadable")
            /// The policy file has problems (`problems` holds every diagnostic).
            public static let invalid = Code(rawValue: "invalid")
            /// A TLS file of a listener does not exist or is not readable.
            public static let tlsFile = Code(rawValue: "tls-file")
            /// An announcement of `mrf:` cannot be read or played.
            public static let mrfAnnouncement = Code(rawValue: "mrf-announcement")
            /// A listener the new policy adds could not be bound.
            public static let bindFailed = Code(rawValue: "bind-failed")
        }

        public var code: Code
        /// One line per problem (policy diagnostics as FILE:LINE:COLUMN: code: message).
        public var problems: [String]
        public var description: String { "reload refused (\(code)): " + problems.joined(separator: "; ") }
    }

    /// What a reload changed.
    public struct ReloadOutcome: Sendable {
        /// The generation of the policy now in force.
        public var generation: Int
        public var addedListeners: [SIPEndpoint]
        public var removedListeners: [SIPEndpoint]
    }

    /// Reads, validates and swaps in the policy file at `path`; relative TLS paths in it are resolved against
    /// its directory. Throws `ReloadError` (logged at error level, counted) and keeps the old policy on failure.
    @discardableResult
    public func reload(from path: String) async throws -> ReloadOutcome {
        try await reloads.run {
            self.notifyServiceManagerReloading()
            defer { self.notifyServiceManagerReloaded() }
            let policy: Policy
            do {
                policy = try PolicyLoader.load(yaml: try PolicyFile.read(path: path), file: path)
            } catch let error as PolicyValidationError {
                throw self.refuse(ReloadError(code: .invalid, problems: error.diagnostics.map(\.description)), path)
            } catch {
                throw self.refuse(ReloadError(code: .unreadable, problems: ["\(error)"]), path)
            }
            return try await self.apply(policy, directory: Self.directory(ofPolicyFile: path), source: path)
        }
    }

    /// Swaps in an already validated policy, as `reload(from:)` does after reading a file.
    @discardableResult
    public func reload(to policy: Policy, directory: String) async throws -> ReloadOutcome {
        try await reloads.run {
            self.notifyServiceManagerReloading()
            defer { self.notifyServiceManagerReloaded() }
            return try await self.apply(policy, directory: directory, source: "(in memory)")
        }
    }

    /// Reloads `policyFile` on every SIGHUP for as long as the returned object lives (or until `cancel()`).
    public func reloadOnSIGHUP(from policyFile: String) -> ReloadSignals {
        ReloadSignals { [self] in
            Task {
                logger.notice("received SIGHUP, reloading", metadata: ["policy": "\(policyFile)"])
                _ = try? await reload(from: policyFile)
            }
        }
    }

    /// The directory of a policy file, as an absolute path: where its relative TLS paths are resolved.
    public static func directory(ofPolicyFile path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    private func apply(_ policy: Policy, directory: String, source: String) async throws -> ReloadOutcome {
        let old = policyInForce.snapshot
        let settings = NodeListenerSettings(policy, directory: directory)
        let oldSettings = NodeListenerSettings(old.policy, directory: old.directory)
        let endpoints = policy.realms.flatMap(\.listeners)
        let unreadable = settings.unreadableFiles(for: endpoints)
        guard unreadable.isEmpty else { throw refuse(ReloadError(code: .tlsFile, problems: unreadable), source) }
        let mrfResources: MRFResources?
        do {
            mrfResources = try Self.mrfResources(of: policy, directory: directory)
        } catch {
            throw refuse(ReloadError(code: .mrfAnnouncement, problems: [error.description]), source)
        }

        var added: [SIPEndpoint] = []
        var removed: [SIPEndpoint] = []
        if let running = listeners.withLockedValue({ $0 }) {
            let bound = Set(running.bound.map(\.endpoint))
            added = endpoints.filter { !bound.contains($0) }
            removed = running.bound.map(\.endpoint).filter { !endpoints.contains($0) }
            do {
                try await running.add(added, tls: settings.tls)
            } catch {
                throw refuse(ReloadError(code: .bindFailed, problems: ["\(error)"]), source)
            }
            let snapshot = policyInForce.replace(with: policy, directory: directory)
            inbound.replace(with: makeInboundHandler(for: snapshot))
            await running.remove(removed)
        } else {
            let snapshot = policyInForce.replace(with: policy, directory: directory)
            inbound.replace(with: makeInboundHandler(for: snapshot))
        }
        installMRF(mrfResources)
        warnAboutRestartOnlyChanges(old: old, new: policy, oldSettings: oldSettings, settings: settings)
        if listeners.withLockedValue({ $0 }) != nil { await reconcileKernelBlocklist(policy) }
        await reprovisionIMSCore(old: old.policy, new: policyInForce.snapshot)
        logLevels?.apply(policy.node.logLevel)
        reconcileCapture(old: old.policy, new: policyInForce.snapshot)
        counters.countReload(succeeded: true)
        let generation = policyInForce.snapshot.generation
        logger.notice(
            "policy reloaded",
            metadata: [
                "policy": "\(source)", "generation": "\(generation)", "node": "\(policy.node.name)",
                "realms": "\(policy.realms.count)", "peers": "\(policy.peers.count)",
                "routes": "\(policy.routes.routes.count)", "listeners-added": "\(added.map(\.description))",
                "listeners-removed": "\(removed.map(\.description))",
            ])
        return ReloadOutcome(generation: generation, addedListeners: added, removedListeners: removed)
    }

    /// Logs and counts a refused reload; returns the error to throw.
    private func refuse(_ error: ReloadError, _ source: String) -> ReloadError {
        counters.countReload(succeeded: false)
        for problem in error.problems {
            logger.error("reload refused: \(problem)", metadata: ["policy": "\(source)", "code": "\(error.code)"])
        }
        logger.error(
            "reload refused, the policy in force stays",
            metadata: [
                "policy": "\(source)", "code": "\(error.code)", "problems": "\(error.problems.count)",
                "generation": "\(policyInForce.snapshot.generation)",
            ])
        return error
    }

    /// Settings the running listeners were made with: a reload cannot change them without dropping
    /// connections, so they apply at the next start.
    private func warnAboutRestartOnlyChanges(
        old: ActivePolicy.Snapshot, new: Policy, oldSettings: NodeListenerSettings, settings: NodeListenerSettings
    ) {
        guard listeners.withLockedValue({ $0 }) != nil else { return }
        if old.policy.sipLimits != new.sipLimits || oldSettings.connectionLimits != settings.connectionLimits {
            logger.warning("changed sip_limits or connection limits take effect at the next start")
        }
        for (endpoint, tls) in settings.tls where oldSettings.tls[endpoint].map({ $0 != tls }) ?? false {
            logger.warning(
                "changed TLS settings of a running listener take effect at the next start",
                metadata: ["endpoint": "\(endpoint)"])
        }
        if old.policy.admin != new.admin {
            logger.warning("a changed admin listener takes effect at the next start")
        }
    }
}
