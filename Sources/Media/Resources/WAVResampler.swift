/// The simple rate conversion `WAVReader` applies to PCM announcements not recorded at 8 kHz: a box filter when
/// going down (each output sample is the mean of the input samples its span covers), linear interpolation when going
/// up. Good enough for speech prompts; not a substitute for preparing files at 8 kHz.
enum WAVResampler {
    static func resample(_ input: [Int16], from sourceRate: Int, to targetRate: Int) -> [Int16] {
        guard sourceRate != targetRate, !input.isEmpty else { return input }
        let outputCount = input.count * targetRate / sourceRate
        var output = [Int16]()
        output.reserveCapacity(outputCount)
        if sourceRate > targetRate {
            for index in 0..<outputCount {
                let start = index * sourceRate / targetRate
                let end = max(start + 1, min(input.count, (index + 1) * sourceRate / targetRate))
                var sum = 0
                for sample in input[start..<end] { sum += Int(sample) }
                output.append(Int16(sum / (end - start)))
            }
        } else {
            for index in 0..<outputCount {
                // Position in the input, in units of 1/targetRate input samples, so the arithmetic stays integral.
                let position = index * sourceRate
                let left = position / targetRate
                let fraction = position % targetRate
                let right = min(left + 1, input.count - 1)
                let value = (Int(input[left]) * (targetRate - fraction) + Int(input[right]) * fraction) / targetRate
                output.append(Int16(value))
            }
        }
        return output
    }
}
