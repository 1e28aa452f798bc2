import CDatagramBatch
import Foundation
import Synchronization

/// Where every stream of the relay benchmark ends: one socket, read many datagrams at a time by recvmmsg on a
/// thread of its own, counting what arrives. All streams' answers name its port, so 1000 streams cost the sink one
/// socket to read, not 1000 for an event loop to poll; its receive buffer is large (32 MB) so that a relay's burst
/// is not lost at the sink and counted against the relay.
final class RelayBenchSink: Sendable {
    /// The port every stream's packets go to.
    var port: Int { socket.port }

    private let socket: BenchDatagramSocket
    private let counters = Mutex<(count: Int, lastSize: Int)>((0, 0))
    private let exit = Mutex(false)
    private let exited = Mutex(false)

    init(host: String) throws {
        socket = try BenchDatagramSocket(host: host, receiveBuffer: 32 << 20, receiveTimeout: .milliseconds(50))
        Thread { [self] in
            // Named from the thread itself, in at most 15 characters: otherwise `ps -T` and perf do not show it.
            Thread.current.name = "bench-sink"
            run()
        }.start()
    }

    /// Datagrams received so far, and the size of the last one (the packet size, plus 10 when SRTP added its tag).
    var counts: (count: Int, lastSize: Int) { counters.withLock { $0 } }

    /// Ends the thread (within the receive timeout) and closes the socket.
    func shutdown() async {
        exit.withLock { $0 = true }
        while !exited.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(1)) }
        socket.close()
    }

    private func run() {
        let slots = Int(GH_DATAGRAM_BATCH_MAX)
        let slotSize = 2048
        var buffer = [UInt8](repeating: 0, count: slots * slotSize)
        var lengths = [Int](repeating: 0, count: slots)
        while !exit.withLock({ $0 }) {
            let received = buffer.withUnsafeMutableBufferPointer { buffer in
                lengths.withUnsafeMutableBufferPointer { lengths in
                    gh_receive_batch(
                        socket.descriptor, buffer.baseAddress, slotSize, UInt32(slots), lengths.baseAddress)
                }
            }
            guard received > 0 else { continue }
            let last = lengths[Int(received) - 1]
            counters.withLock {
                $0.count += Int(received)
                $0.lastSize = last
            }
        }
        exited.withLock { $0 = true }
    }
}
