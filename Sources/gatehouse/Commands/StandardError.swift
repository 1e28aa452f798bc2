#if canImport(Glibc)
    import Glibc
#endif

/// Writes a line to standard error (Swift 6 mode rejects Glibc's `stderr` global, so this goes through write(2)).
func printToStandardError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
            if written <= 0 { return }
            offset += written
        }
    }
}
