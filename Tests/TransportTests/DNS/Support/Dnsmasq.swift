import Foundation
import NIOCore
import TestSupport

@testable import Transport

/// dnsmasq serving fixed records on 127.0.0.195:5354, started by a test and killed by it (SIGKILL, by its pid).
///
/// `--no-resolv --no-hosts --conf-file=/dev/null` keep the host's configuration out; `--local=/example.test/`
/// makes names it does not know NXDOMAIN (instead of REFUSED). It never sends an SOA with a negative answer.
struct Dnsmasq {
    static let host = "127.0.0.195"
    static let port = 5354
    static let server = DNSResolverConfiguration.Server(host: host, port: port)

    let process: ExternalProcess.Running

    /// Starts dnsmasq with `records` (its record options) and waits until it answers.
    static func start(_ records: [String], group: any EventLoopGroup) async throws -> Dnsmasq {
        guard
            let path = ExternalProcess.find("dnsmasq")
                ?? ["/usr/sbin/dnsmasq"].first(where: FileManager.default.isExecutableFile)
        else { throw DNSTestFailure("dnsmasq is not installed (apt-get install -y dnsmasq)") }
        let arguments =
            [
                "--keep-in-foreground", "--conf-file=/dev/null", "--port=\(port)", "--listen-address=\(host)",
                "--bind-interfaces", "--no-resolv", "--no-hosts", "--pid-file=", "--local=/example.test/",
                "--host-record=ready.example.test,127.0.0.1",
            ] + records
        let dnsmasq = Dnsmasq(process: try ExternalProcess.start(path, arguments))
        var configuration = DNSResolverConfiguration(servers: [server])
        configuration.timeout = .milliseconds(100)
        configuration.attempts = 1
        let probe = DNSResolver(configuration: configuration, group: group)
        // Generous: it returns as soon as dnsmasq answers, and on a loaded 2-core machine this task may wait long
        // for a thread of the shared pool before its next probe.
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if (try? await probe.lookup("ready.example.test", .a)) != nil { return dnsmasq }
            guard dnsmasq.process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let outcome = try await dnsmasq.stop()
        throw DNSTestFailure("dnsmasq did not start: \(outcome.output)")
    }

    /// Kills dnsmasq and waits for it to exit (the port is free again afterwards).
    @discardableResult
    func stop() async throws -> ExternalProcess.Outcome {
        process.stop()
        return try await process.finish(within: .seconds(5))
    }
}
