import Foundation
import TestSupport

struct CaptureError: Error, CustomStringConvertible {
    var description: String
}

/// tshark capturing on `lo` (Debian's `tshark`; the tests run as root), and the UDP datagrams it saw.
struct PacketCapture {
    let process: ExternalProcess.Running
    let file: String
    let tshark: String

    struct Datagram: Hashable {
        var source: String
        var sourcePort: Int
        var destination: String
        var destinationPort: Int
        /// The UDP payload in hex.
        var payload: String
        /// When it was captured, in seconds since the capture's first packet.
        var time: Double

        func involves(_ host: String) -> Bool { source == host || destination == host }
        var route: String { "\(source):\(sourcePort) → \(destination):\(destinationPort)" }
    }

    /// Starts capturing what `filter` (a capture filter) matches; returns once tshark has opened its file. A test
    /// that can throw before `stop()` defers `abandon()`, so that no tshark outlives it.
    static func start(filter: String) async throws -> PacketCapture {
        guard let tshark = ExternalProcess.find("tshark") else {
            throw CaptureError(description: "tshark is missing: make test-deps installs it")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gh-media-\(UUID().uuidString).pcap")
            .path
        let process = try ExternalProcess.start(tshark, ["-i", "lo", "-f", filter, "-w", file, "-q"])
        for _ in 0..<250 {
            if let size = try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int, size > 0 {
                // The file exists once the capture is open; give the kernel filter a moment.
                try await Task.sleep(for: .milliseconds(300))
                return PacketCapture(process: process, file: file, tshark: tshark)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.stop()
        throw CaptureError(description: "tshark did not start capturing")
    }

    /// Stops the capture (SIGINT, so that tshark writes everything out) and reads the datagrams back.
    func stop() async throws -> [Datagram] {
        try await Task.sleep(for: .milliseconds(300))
        process.send(signal: SIGINT)
        _ = try await process.finish(within: .seconds(10))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let read = try await ExternalProcess.run(
            tshark,
            [
                "-r", file, "-T", "fields", "-E", "separator=,", "-e", "ip.src", "-e", "udp.srcport", "-e",
                "ip.dst", "-e", "udp.dstport", "-e", "udp.payload", "-e", "frame.time_relative",
            ])
        return read.output.split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 6, let sourcePort = Int(fields[1]), let destinationPort = Int(fields[3]),
                let time = Double(fields[5])
            else { return nil }
            return Datagram(
                source: fields[0], sourcePort: sourcePort, destination: fields[2], destinationPort: destinationPort,
                payload: fields[4], time: time)
        }
    }

    /// Stops tshark (by its pid) and removes the file, if `stop()` has not already: for a test that threw first.
    func abandon() {
        process.stop()
        try? FileManager.default.removeItem(atPath: file)
    }
}
