/// libFuzzer harness for `SIPStreamFramer`: bytes of a TCP/TLS stream arriving in pieces.
///
/// Input layout: the low 4 bits of byte 0 say how many of the following bytes are chunk sizes (0 = one chunk);
/// each such byte gives a chunk of `byte + 1` bytes, used in turn until the stream (the rest) is consumed.
///
/// Checked: no crash; every `.message` frame parses to a `SIPMessage` or throws `SIPParseError`; and the frames
/// and the final error are the same as when the whole stream arrives at once (framing must not depend on how TCP
/// cut the bytes). That last check holds while the stream is shorter than `maxHeaderSectionSize`, above which a
/// drip-fed stream may be rejected for a header section a single read would complete; run.sh caps inputs at 8 KiB.
import SIPMessage

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    guard let header = input.first else { return 0 }
    let sizeCount = min(Int(header & 0x0F), input.count - 1)
    let chunkSizes = input[1..<(1 + sizeCount)].map { Int($0) + 1 }
    let stream = Array(input[(1 + sizeCount)...])

    var chunked = SIPStreamFramer()
    var chunkedFrames: [SIPStreamFramer.Frame] = []
    var chunkedError: SIPParseError?
    var offset = 0
    var turn = 0
    feeding: while offset < stream.count {
        let length = chunkSizes.isEmpty ? stream.count : chunkSizes[turn % chunkSizes.count]
        turn += 1
        let end = min(stream.count, offset + length)
        chunked.append(stream[offset..<end])
        offset = end
        do {
            while let frame = try chunked.next() {
                check(frame)
                chunkedFrames.append(frame)
            }
        } catch {
            chunkedError = error
            break feeding
        }
    }

    var whole = SIPStreamFramer()
    var wholeFrames: [SIPStreamFramer.Frame] = []
    var wholeError: SIPParseError?
    whole.append(stream)
    do {
        while let frame = try whole.next() { wholeFrames.append(frame) }
    } catch {
        wholeError = error
    }

    if stream.count < whole.limits.maxHeaderSectionSize {
        if chunkedFrames != wholeFrames {
            fatalError(
                "frames depend on chunking (sizes \(chunkSizes)): \(chunkedFrames.count) frames vs "
                    + "\(wholeFrames.count) when read at once")
        }
        if chunkedError?.code != wholeError?.code {
            fatalError(
                "error depends on chunking (sizes \(chunkSizes)): \(String(describing: chunkedError)) vs "
                    + "\(String(describing: wholeError))")
        }
    }
    return 0
}

/// A framed message parses or is rejected with a `SIPParseError` (typed throws guarantee the type; the point is
/// reaching the catch without a trap).
private func check(_ frame: SIPStreamFramer.Frame) {
    guard case .message(let bytes) = frame else { return }
    do {
        let message = try SIPMessage(parsing: bytes)
        _ = message.serialize()
    } catch {
        _ = error.code
    }
}
